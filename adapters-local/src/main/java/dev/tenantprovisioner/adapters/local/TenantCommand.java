package dev.tenantprovisioner.adapters.local;

import dev.tenantprovisioner.adapters.local.demo.DemoApp;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The command that runs one tenant. It finds {@code PORT}, {@code TENANT_ID}, {@code BIND_HOST} and
 * {@code PROVISIONER_PID} in its environment and must listen on {@code BIND_HOST:PORT}.
 */
public record TenantCommand(List<String> argv) {

    /** The shell that runs a {@link #shell} command line. */
    public static final Path SHELL = Path.of("/bin/sh");

    /**
     * Keeps a shell command's process tree tied to the runner: when the runner's process is gone (even
     * after SIGKILL, which runs no shutdown hook) the watcher sends the command SIGTERM. The command
     * keeps the runner's stdin pipe (a background job would otherwise get /dev/null).
     */
    private static final String TETHER = "exec 3<&0; \"$@\" <&3 3<&- & child=$!; "
            + "trap 'kill -TERM $child 2>/dev/null' TERM INT; "
            + "( while kill -0 \"$PROVISIONER_PID\" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; kill -TERM $child 2>/dev/null ) & "
            + "wait $child";

    public TenantCommand {
        Objects.requireNonNull(argv, "argv");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("tenant command: must not be empty");
        }
        argv = List.copyOf(argv);
    }

    /** The bundled demo app, run by the same {@code java} as the runner itself. */
    public static TenantCommand demoApp() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new TenantCommand(List.of(
                java,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xss512k",
                "-Xmx48m",
                "-Xshare:auto",
                "-cp",
                demoClasspath(),
                DemoApp.class.getName()));
    }

    /**
     * The demo app's classes, and the PostgreSQL JDBC driver's where the runner has it (its visit counter talks to
     * the tenant's database through {@code java.sql} and finds the driver at run time). In the runner's single jar
     * both are that jar.
     */
    private static String demoClasspath() {
        String demo = classpathOf(DemoApp.class);
        try {
            String driver =
                    classpathOf(Class.forName("org.postgresql.Driver", false, TenantCommand.class.getClassLoader()));
            return driver.equals(demo) ? demo : demo + java.io.File.pathSeparator + driver;
        } catch (ClassNotFoundException noDriver) {
            return demo;
        }
    }

    /** A command line for {@code /bin/sh}, e.g. {@code python3 -m http.server $PORT --bind $BIND_HOST}. */
    public static TenantCommand shell(String commandLine) {
        if (commandLine.isBlank()) {
            throw new IllegalArgumentException("tenant command: must not be blank");
        }
        String sh = SHELL.toString();
        return new TenantCommand(List.of(sh, "-c", TETHER, "tenant-tether", sh, "-c", commandLine));
    }

    private static String classpathOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException | NullPointerException unknown) {
            return System.getProperty("java.class.path");
        }
    }
}
