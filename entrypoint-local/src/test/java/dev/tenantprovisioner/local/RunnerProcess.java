package dev.tenantprovisioner.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runner in a JVM of its own, started as {@code run-local.sh} starts it: for what only a process shows, its exit
 * code and what it prints. It gets this machine's environment without any of the runner's own settings, plus the
 * test's, and runs in {@code folder}, so relative defaults ({@code ./outbox}...) land there.
 */
final class RunnerProcess implements AutoCloseable {

    /** Generous: a first start runs PostgreSQL's initdb, and a cold JVM on a loaded two-core machine is slow. */
    static final long START_BOUND_MILLIS = 180_000;

    private static final Pattern LANDING_PAGE = Pattern.compile("Landing page {2}(http://127\\.0\\.0\\.1:\\d+)/");

    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();

    private final List<Thread> drains;

    private RunnerProcess(Process process) {
        this.process = process;
        this.drains = List.of(drain(process.getInputStream(), stdout), drain(process.getErrorStream(), stderr));
    }

    static RunnerProcess start(Path folder, Map<String, String> settings, String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // Where the build found PostgreSQL, as the tests in this JVM see it.
        for (String property : List.of("test-servers.dir", "postgres.bin")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LocalRunner.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile());
        builder.environment()
                .keySet()
                .removeIf(name -> name.startsWith("LOCAL_")
                        || name.startsWith("DATABASE_")
                        || name.startsWith("PORT_RANGE_")
                        || name.equals("API_KEYS")
                        || name.equals("IDLE_SUSPEND_AFTER"));
        builder.environment().putAll(settings);
        try {
            return new RunnerProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the banner; the landing page's address. */
    URI awaitBanner() throws InterruptedException {
        long deadline = System.currentTimeMillis() + START_BOUND_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Matcher page = LANDING_PAGE.matcher(stdout);
            if (page.find() && stdout.indexOf("Ctrl-C stops") >= 0) {
                return URI.create(page.group(1));
            }
            if (!process.isAlive()) {
                process.waitFor();
                throw new AssertionError("the runner ended (exit " + process.exitValue() + ") before its banner:\n"
                        + stdout + "\n" + stderr);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no banner after " + START_BOUND_MILLIS + " ms:\n" + stdout + "\n" + stderr);
    }

    /** The banner's line that starts with {@code label} ("Databases"...). */
    String bannerLine(String label) {
        return stdout.toString()
                .lines()
                .map(String::strip)
                .filter(line -> line.startsWith(label + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + label + " line in:\n" + stdout));
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(START_BOUND_MILLIS, TimeUnit.MILLISECONDS)) {
            throw new AssertionError(
                    "the runner still runs after " + START_BOUND_MILLIS + " ms:\n" + stdout + "\n" + stderr);
        }
        for (Thread drain : drains) {
            drain.join(10_000);
        }
        return process.exitValue();
    }

    String stdout() {
        return stdout.toString();
    }

    String stderr() {
        return stderr.toString();
    }

    /** Stops it as Ctrl-C does (SIGTERM: the shutdown hook stops tenants and PostgreSQL), and waits. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** Copies what the process prints as it comes; ends when the process does. */
    private static Thread drain(InputStream stream, StringBuffer into) {
        Thread drainer = new Thread(
                () -> {
                    char[] buffer = new char[8192];
                    try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                        for (int read = reader.read(buffer); read >= 0; read = reader.read(buffer)) {
                            into.append(buffer, 0, read);
                        }
                    } catch (IOException closed) {
                        // The process ended.
                    }
                },
                "runner-output");
        drainer.setDaemon(true);
        drainer.start();
        return drainer;
    }
}
