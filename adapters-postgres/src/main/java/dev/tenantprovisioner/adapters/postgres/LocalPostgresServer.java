package dev.tenantprovisioner.adapters.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of this machine's own binaries (Debian's {@code postgresql} package: {@code initdb} and
 * {@code pg_ctl}), in a folder of its own, listening on a loopback port: for the tests and the local runner. The
 * server refuses to run as root, so as root it runs as the {@code postgres} user (through {@code runuser}), which owns
 * the folder. The admin role is {@code admin} with a random password kept in the folder, over SCRAM-SHA-256 on TCP.
 */
public final class LocalPostgresServer implements AutoCloseable {

    public static final String ADMIN = "admin";
    private static final String INSTALL = "sudo apt-get install postgresql";

    private final Path bin;
    private final Path folder;
    private final int port;
    private final String adminPassword;
    private final boolean asPostgresUser;

    private LocalPostgresServer(Path bin, Path folder, int port, String adminPassword, boolean asPostgresUser) {
        this.bin = bin;
        this.folder = folder;
        this.port = port;
        this.adminPassword = adminPassword;
        this.asPostgresUser = asPostgresUser;
    }

    /**
     * The folder of {@code initdb} and {@code pg_ctl}: {@code -Dpostgres.bin}, else what the build found
     * ({@code target/test-servers/postgres.bin}, written by {@code .mvn/test-servers.py}), else the newest
     * {@code /usr/lib/postgresql/<version>/bin}, else the folder of {@code pg_ctl} on the {@code PATH}.
     */
    public static Optional<Path> findBinaries() {
        String explicit = System.getProperty("postgres.bin");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit));
        }
        String servers = System.getProperty("test-servers.dir");
        if (servers != null) {
            Path found = Path.of(servers, "postgres.bin");
            if (Files.isRegularFile(found)) {
                try {
                    return Optional.of(Path.of(Files.readString(found).strip()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.map(version -> version.resolve("bin"))
                        .filter(dir -> Files.isExecutable(dir.resolve("pg_ctl")))
                        .max((a, b) -> compare(
                                versionOf(a.getParent().getFileName().toString()),
                                versionOf(b.getParent().getFileName().toString())));
                if (newest.isPresent()) {
                    return newest;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(dir -> !dir.isBlank())
                .map(Path::of)
                .filter(dir -> Files.isExecutable(dir.resolve("pg_ctl")) && Files.isExecutable(dir.resolve("initdb")))
                .findFirst();
    }

    /** What to tell someone whose machine has no PostgreSQL server binaries. */
    public static String missingMessage() {
        return "no PostgreSQL server binaries (initdb, pg_ctl) on this machine; install them with '" + INSTALL
                + "' (Debian/Ubuntu) or point -Dpostgres.bin at their folder";
    }

    /**
     * Starts a new server in a fresh temporary folder, on a free loopback port, with {@code options} for the server
     * ({@code -c log_statement=all}); {@link #close} removes it all.
     */
    public static LocalPostgresServer startTemporary(String... options) {
        Path bin = findBinaries().orElseThrow(() -> new IllegalStateException(missingMessage()));
        try {
            Path folder = Files.createTempDirectory("tenant-postgres-");
            return start(bin, folder, freePort(), options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the server kept in {@code folder} (made there on the first start), on {@code port}. A server already
     * running there (from a runner that was killed) is stopped first.
     */
    public static LocalPostgresServer start(Path bin, Path folder, int port, String... options) {
        boolean root = runsAsPostgresUser();
        try {
            Files.createDirectories(folder);
            Path passwordFile = folder.resolve("admin-password");
            if (!Files.exists(passwordFile)) {
                byte[] random = new byte[24];
                new SecureRandom().nextBytes(random);
                Files.writeString(passwordFile, HexFormat.of().formatHex(random));
            }
            String password = Files.readString(passwordFile).strip();
            if (root) {
                // The server runs as postgres; it needs the folder, and initdb reads the password file.
                Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r--r--"));
                UserPrincipal postgres =
                        folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(folder, postgres);
            }
            // The admin's password is in here: no one else may read it.
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            LocalPostgresServer server = new LocalPostgresServer(bin, folder, port, password, root);
            server.initIfNeeded(passwordFile);
            server.stopIfRunning();
            long logBefore = server.logSize();
            // No Unix socket (-k ''): every client connects over TCP, and a socket's path may not pass 107 bytes nor,
            // through the shell pg_ctl starts the server with, hold a space, as a clone's folder may.
            try {
                server.run(
                        Duration.START,
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        server.data().toString(),
                        "-l",
                        folder.resolve("server.log").toString(),
                        "-w",
                        "-t",
                        "60",
                        "-o",
                        "-p " + port + " -c listen_addresses=127.0.0.1 -k '' -c max_connections=200 -c fsync=off "
                                + String.join(" ", options),
                        "start");
            } catch (StartFailed failed) {
                // pg_ctl only says the server did not start; the server's log of this attempt says why.
                throw server.lastFatal(logBefore)
                        .map(fatal -> new StartFailed("PostgreSQL did not start: " + fatal, failed.getMessage()))
                        .orElse(failed);
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server runs as the {@code postgres} user: it refuses to run as root. */
    static boolean runsAsPostgresUser() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** JDBC URL of the {@code postgres} database, where the admin connects. */
    public String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String adminPassword() {
        return adminPassword;
    }

    public int port() {
        return port;
    }

    /** JDBC URL of any database on this server. */
    public String urlOf(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Settings for the tenant-databases adapter over this server. */
    public PostgresSettings settings(byte[] passwordKey, boolean retainOnRemove) {
        return new PostgresSettings(
                adminUrl(),
                ADMIN,
                adminPassword,
                passwordKey,
                Optional.empty(),
                Optional.empty(),
                PostgresSettings.DEFAULT_CONNECTION_LIMIT,
                retainOnRemove);
    }

    /** The server, or the tool that makes or starts it, failed: {@link #summary} says why in one line. */
    public static final class StartFailed extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        private final String summary;

        StartFailed(String summary, String details) {
            super(summary + "\n" + details);
            this.summary = summary;
        }

        public String summary() {
            return summary;
        }
    }

    /** The server's own log (for a test that failed). */
    public String log() {
        try {
            Path log = folder.resolve("server.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(could not read the server log: " + e.getMessage() + ")";
        }
    }

    private long logSize() throws IOException {
        Path log = folder.resolve("server.log");
        return Files.exists(log) ? Files.size(log) : 0;
    }

    /** The last {@code FATAL} line the server logged after {@code offset}, from {@code FATAL} on. */
    private Optional<String> lastFatal(long offset) {
        String log = log();
        String recent = log.substring((int) Math.min(offset, log.length()));
        return lastLine(recent, line -> line.contains("FATAL:"))
                .map(line -> line.substring(line.indexOf("FATAL:")).replaceAll("\\s+", " "));
    }

    private static Optional<String> lastLine(String text, Predicate<String> telling) {
        List<String> lines = text.lines().map(String::strip).filter(telling).toList();
        return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
    }

    private Path data() {
        return folder.resolve("data");
    }

    private void initIfNeeded(Path passwordFile) {
        if (Files.exists(data().resolve("PG_VERSION"))) {
            return;
        }
        run(
                Duration.INIT,
                bin.resolve("initdb").toString(),
                "-D",
                data().toString(),
                "-U",
                ADMIN,
                "--pwfile=" + passwordFile,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--no-sync");
    }

    private void stopIfRunning() {
        if (Files.exists(data().resolve("postmaster.pid"))) {
            runQuietly(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop");
        }
    }

    /** Stops the server; a temporary one's folder is removed too. */
    @Override
    public void close() {
        runQuietly(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop");
        if (folder.getFileName().toString().startsWith("tenant-postgres-")) {
            deleteRecursively(folder);
        }
    }

    private enum Duration {
        INIT(120),
        START(90);

        final long seconds;

        Duration(long seconds) {
            this.seconds = seconds;
        }
    }

    private void run(Duration limit, String... command) {
        List<String> full = asUser(command);
        String tool = Path.of(command[0]).getFileName() + (command[command.length - 1].equals("start") ? " start" : "");
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(limit.seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new StartFailed(tool + " did not finish in " + limit.seconds + " s", String.join(" ", full));
            }
            if (process.exitValue() != 0) {
                // initdb and pg_ctl end with the line that matters ("initdb: error: could not open file ...").
                String why = lastLine(output, line -> line.contains("error:") || line.contains("could not"))
                        .or(() -> lastLine(output, line -> !line.isBlank()))
                        .orElse("no output");
                throw new StartFailed(
                        tool + " failed (exit " + process.exitValue() + "): " + why,
                        String.join(" ", full) + "\n" + output + "\n" + log());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void runQuietly(String... command) {
        try {
            Process process = new ProcessBuilder(asUser(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            // Nothing to stop, or no way to: the caller goes on either way.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> asUser(String... command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static void deleteRecursively(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is not worth failing for.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static List<Integer> versionOf(String name) {
        List<Integer> parts = new ArrayList<>();
        for (String part : name.split("\\.")) {
            try {
                parts.add(Integer.parseInt(part));
            } catch (NumberFormatException e) {
                parts.add(0);
            }
        }
        return parts;
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
