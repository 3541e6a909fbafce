package dev.tenantprovisioner.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.TenantDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two provisioner processes, four threads each, ensure the same 20 tenants at once, then remove them at once: every
 * tenant ends with exactly one database and one role that its password opens, and after the removal nothing of
 * them is left.
 */
class TwoProcessConvergenceTest {

    private static final int TENANTS = 20;
    private static LocalPostgresServer server;
    private static Admin admin;

    @BeforeAll
    static void startServer() {
        server = LocalPostgresServer.startTemporary();
        admin = new Admin(server);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void givenTwoProcessesProvisioningTheSameTwentyTenants_whenBothFinish_thenOneDatabaseEachAndRemovalLeavesNothing()
            throws Exception {
        runTwoWorkers("ensure");

        List<String> names = IntStream.rangeClosed(1, TENANTS)
                .mapToObj(n -> PostgresTenantDatabases.nameOf(TenantId.of("race-" + n)))
                .sorted()
                .toList();
        assertThat(admin.databases()).containsExactlyInAnyOrderElementsOf(names);
        assertThat(admin.loginRoles()).containsExactlyInAnyOrderElementsOf(names);
        PostgresTenantDatabases reader = new PostgresTenantDatabases(server.settings(Admin.KEY, false));
        for (int n = 1; n <= TENANTS; n++) {
            TenantDatabase database = reader.access(TenantId.of("race-" + n), 1);
            try (Connection own =
                    DriverManager.getConnection(server.urlOf(database.name()), database.user(), database.password())) {
                assertThat(own.isValid(5)).isTrue();
            }
        }

        runTwoWorkers("remove");

        assertThat(admin.databases()).isEmpty();
        assertThat(admin.roles()).isEmpty();
    }

    private static void runTwoWorkers(String action) throws Exception {
        List<Process> workers = new ArrayList<>();
        for (int seed = 1; seed <= 2; seed++) {
            workers.add(new ProcessBuilder(
                            ProcessHandle.current().info().command().orElse("java"),
                            "-cp",
                            System.getProperty("java.class.path"),
                            DatabaseWorker.class.getName(),
                            server.adminUrl(),
                            server.adminPassword(),
                            action,
                            Integer.toString(TENANTS),
                            "4",
                            Integer.toString(seed))
                    .redirectErrorStream(true)
                    .start());
        }
        for (Process worker : workers) {
            String output = new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(worker.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.exitValue())
                    .as(output + File.separator + server.log())
                    .isZero();
        }
    }
}
