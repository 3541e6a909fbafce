package dev.tenantprovisioner.adapters.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A runner killed with SIGKILL runs no shutdown hook; its tenants must still go away on their own. */
class RunnerKilledTest {

    /** Bound for the tenant to notice: the shell tether checks once a second, the demo app at once. */
    private static final long EXIT_BOUND_SECONDS = 30;

    @ParameterizedTest
    @ValueSource(strings = {"demo", "shell"})
    void givenRunningTenant_whenTheRunnerIsKilled_thenTheTenantProcessTreeExits(String mode) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process runner = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        RuntimeHost.class.getName(),
                        "127.0.0.1",
                        Integer.toString(freePort()),
                        mode)
                .redirectErrorStream(true)
                .start();
        List<ProcessHandle> tenantTree;
        try {
            tenantTree = tenantTree(runner);
            assertThat(tenantTree)
                    .isNotEmpty()
                    .allSatisfy(p -> assertThat(p.isAlive()).isTrue());

            runner.destroyForcibly();
            runner.waitFor();
        } finally {
            runner.destroyForcibly();
        }

        for (ProcessHandle tenant : tenantTree) {
            try {
                tenant.onExit().get(EXIT_BOUND_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException orphaned) {
                tenant.destroyForcibly();
                throw new AssertionError("tenant process " + tenant.pid() + " outlived its runner", orphaned);
            }
            assertThat(tenant.isAlive()).isFalse();
        }
    }

    private static List<ProcessHandle> tenantTree(Process runner) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(runner.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("tenant-pids ")) {
                return Arrays.stream(line.substring(12).split(" "))
                        .map(Long::parseLong)
                        .map(ProcessHandle::of)
                        .flatMap(Optional::stream)
                        .toList();
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("runner stand-in ended without starting its tenant:\n" + seen);
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
