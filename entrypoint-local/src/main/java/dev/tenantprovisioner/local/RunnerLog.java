package dev.tenantprovisioner.local;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The runner's own log of failures at length (stack traces, a tool's output), beside the tenants' logs: the terminal
 * gets one line that says where this is. A tenant id holds no underscore, so no tenant's log is named like it.
 */
final class RunnerLog {

    static final String FILE_NAME = "_runner.log";

    private final Path file;

    RunnerLog(Path tenantLogs) {
        this.file = tenantLogs.resolve(FILE_NAME);
    }

    /** Appends {@code what} and the failure's trace; the file, or empty where it could not be written. */
    Optional<Path> record(String what, Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        try {
            Files.writeString(
                    file,
                    Instant.now() + " " + what + "\n" + trace + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            return Optional.of(file);
        } catch (IOException unwritable) {
            return Optional.empty();
        }
    }
}
