package dev.tenantprovisioner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tenantprovisioner.adapters.postgres.LocalPostgresServer;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local runner with tenant databases on (a PostgreSQL server of this machine's binaries, started by the runner):
 * each tenant's demo app counts its visits in its own database, the count is the tenant's alone, and it survives a
 * restart of the tenant's instance.
 */
class LocalTenantDatabaseTest {

    private Path work;

    @BeforeEach
    void workFolder() throws Exception {
        assumeTrue(LocalPostgresServer.findBinaries().isPresent(), LocalPostgresServer.missingMessage());
        // Under /tmp and open to others: as root, the server runs as the postgres user, and a folder that user cannot
        // reach would send the cluster to /var/lib/tenant-provisioner (LocalRunnerFirstRunTest covers that).
        work = Files.createTempDirectory("local-db-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void removeWorkFolder() throws Exception {
        if (work != null) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void givenDatabasesOn_whenTwoTenantsAreVisited_thenEachCountsInItsOwnDatabaseAndTheCountSurvivesARestart()
            throws Exception {
        try (Runner runner = new Runner(
                work,
                Map.of(
                        "LOCAL_DATABASE",
                        "auto",
                        "LOCAL_DATABASE_DIR",
                        work.resolve("postgres").toString()))) {
            runner.provision("ada", "ada@example.com");
            runner.provision("bo", "bo@example.com");
            Map<String, Object> ada = runner.awaitRunning("ada");
            Map<String, Object> bo = runner.awaitRunning("bo");

            assertThat(runner.fetch(direct(runner, ada))).contains("1, counted in your own database tenant_ada");
            assertThat(runner.fetch(direct(runner, ada))).contains("2, counted in your own database tenant_ada");
            assertThat(runner.fetch(direct(runner, bo))).contains("1, counted in your own database tenant_bo");

            // The instance dies; the next provision call restarts it on its port, with the same database.
            String task = (String) ada.get("taskId");
            ProcessHandle instance = ProcessHandle.of(Long.parseLong(task.substring(task.lastIndexOf("-pid-") + 5)))
                    .orElseThrow();
            instance.destroyForcibly();
            instance.onExit().get();
            runner.send("GET", "/tenants/ada", null);
            runner.provision("ada", "ada@example.com");
            Map<String, Object> restarted = runner.awaitRunning("ada");

            assertThat(restarted.get("taskId")).isNotEqualTo(task);
            assertThat(runner.fetch(direct(runner, restarted))).contains("3, counted in your own database tenant_ada");
        }
    }

    private static URI direct(Runner runner, Map<String, Object> tenant) {
        return URI.create(
                "http://" + runner.tenantHost + ":" + ((BigDecimal) tenant.get("port")).intValueExact() + "/");
    }
}
