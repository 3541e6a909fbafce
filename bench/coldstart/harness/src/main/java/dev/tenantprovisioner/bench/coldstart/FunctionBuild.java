package dev.tenantprovisioner.bench.coldstart;

import java.nio.file.Path;

/**
 * One of the builds compared: its unpacked deployment package (Lambda's task root) and its handler.
 * Given on the command line as {@code name=taskRoot=handler=expectedStatus}.
 */
record FunctionBuild(String name, Path taskRoot, String handler, int expectedStatus) {

    /** The build run as a SnapStart function: hooks before the checkpoint and after the restore. */
    boolean snapStart() {
        return name.equals("snapstart");
    }

    static FunctionBuild parse(String spec) {
        String[] parts = spec.split("=");
        if (parts.length != 4) {
            throw new IllegalArgumentException("build must be name=taskRoot=handler=expectedStatus, was " + spec);
        }
        return new FunctionBuild(parts[0], Path.of(parts[1]), parts[2], Integer.parseInt(parts[3]));
    }
}
