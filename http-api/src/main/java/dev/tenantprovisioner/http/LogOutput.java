package dev.tenantprovisioner.http;

import java.io.PrintStream;

/** Where request log lines go: standard output on Lambda (CloudWatch picks it up), a buffer in tests. */
public record LogOutput(PrintStream stream) {

    public static LogOutput standardOutput() {
        return new LogOutput(System.out);
    }
}
