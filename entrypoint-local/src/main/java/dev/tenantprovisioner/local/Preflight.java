package dev.tenantprovisioner.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Locale;

/**
 * What the runner makes sure of before it starts anything, so that a first run on an unready machine fails at once
 * with one line naming the setting to change ({@link CannotStart}), not at the first signup with a stack trace.
 */
final class Preflight {

    private Preflight() {}

    /** Makes {@code folder} if need be and writes a file into it. */
    static void writableFolder(Path folder, String setting) {
        try {
            Files.createDirectories(folder);
            Files.delete(Files.createTempFile(folder, ".write-check-", ".tmp"));
        } catch (IOException e) {
            throw new CannotStart("cannot write the folder " + folder + " (" + setting + "): " + why(e, folder)
                    + "; set " + setting + " to a folder you can write");
        }
    }

    /** {@code LOCAL_TENANT_COMMAND} is a command line for {@code shell}. */
    static void shell(Path shell) {
        if (!Files.isExecutable(shell)) {
            throw new CannotStart("LOCAL_TENANT_COMMAND runs through " + shell + ", which this machine does not have;"
                    + " install a POSIX shell as " + shell + ", or unset LOCAL_TENANT_COMMAND to run the bundled demo"
                    + " app");
        }
    }

    /** The runner's HTTP server, bound to its port on 127.0.0.1 but not yet serving. */
    static HttpServer listen(int port) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try {
            return HttpServer.create(address, 64);
        } catch (BindException e) {
            String why = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            throw new CannotStart("cannot listen on 127.0.0.1:" + port + " (LOCAL_HTTP_PORT): "
                    + (why.contains("in use") ? "another program is using that port" : why)
                    + "; set LOCAL_HTTP_PORT to a free port, or to 0 for any free one");
        } catch (IOException e) {
            throw new CannotStart("cannot listen on 127.0.0.1:" + port + " (LOCAL_HTTP_PORT): " + e.getMessage()
                    + "; set LOCAL_HTTP_PORT to another port, or to 0 for any free one");
        }
    }

    /** Why a file operation failed, in a few words (with the path, where it is not {@code about}). */
    static String why(IOException e, Path about) {
        if (e instanceof UserPrincipalNotFoundException missing) {
            return "this machine has no user named " + missing.getName();
        }
        String where = "";
        if (e instanceof FileSystemException failed
                && failed.getFile() != null
                && !failed.getFile().equals(about.toString())) {
            where = " (" + failed.getFile() + ")";
        }
        String reason;
        if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof FileAlreadyExistsException) {
            reason = "a file is in the way";
        } else if (e instanceof NoSuchFileException) {
            reason = "no such file or folder, and it cannot be made";
        } else if (e instanceof NotDirectoryException) {
            reason = "not a directory";
        } else if (e instanceof FileSystemException failed && failed.getReason() != null) {
            reason = failed.getReason().toLowerCase(Locale.ROOT);
        } else {
            reason = e instanceof FileSystemException || e.getMessage() == null
                    ? e.getClass().getSimpleName()
                    : e.getMessage();
        }
        return reason + where;
    }
}
