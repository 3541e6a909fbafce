package dev.tenantprovisioner.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where a local server's cluster lives when the folder chosen for it is, or is not, in the postgres user's reach. */
class ClusterFolderTest {

    private Path home;
    private Path shared;

    @BeforeEach
    void folders() throws Exception {
        // A home folder as /root is on most machines: no one else may pass through it.
        home = Files.createTempDirectory("home-");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path var = Files.createTempDirectory("var-lib-");
        Files.setPosixFilePermissions(var, PosixFilePermissions.fromString("rwxr-xr-x"));
        shared = var.resolve("tenant-provisioner");
    }

    @AfterEach
    void remove() throws Exception {
        delete(home);
        delete(shared.getParent());
    }

    @Test
    void givenRootAndAFolderThePostgresUserCannotReach_whenFound_thenTheClusterMovesToAFolderOfPostgresAndStaysThere()
            throws Exception {
        assumeRootWithPostgresUser();
        Path chosen = home.resolve("clone/tenant-data/postgres");

        ClusterFolder first = ClusterFolder.of(chosen, shared, true);
        ClusterFolder second = ClusterFolder.of(chosen, shared, true);

        assertThat(first.moved()).isTrue();
        assertThat(first.actual()).hasParent(shared);
        assertThat(Files.getOwner(first.actual()).getName()).isEqualTo("postgres");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.actual())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
                .as("the user's folder is never opened up")
                .isEqualTo("rwx------");
        assertThat(Files.readString(chosen.resolve("cluster-location")).strip())
                .isEqualTo(first.actual().toString());
        assertThat(second).isEqualTo(first);
    }

    @Test
    void givenRootAndAFolderThePostgresUserReaches_whenFound_thenTheClusterStaysInIt() throws Exception {
        assumeRootWithPostgresUser();
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path chosen = home.resolve("clone/tenant-data/postgres");

        ClusterFolder found = ClusterFolder.of(chosen, shared, true);

        assertThat(found.moved()).isFalse();
        assertThat(found.actual()).isEqualTo(chosen);
        assertThat(shared).doesNotExist();
    }

    @Test
    void givenAServerThatRunsAsThisUser_whenFound_thenTheClusterStaysInTheChosenFolderWhateverItsParents()
            throws Exception {
        Path chosen = home.resolve("clone/tenant-data/postgres");

        ClusterFolder found = ClusterFolder.of(chosen, shared, false);

        assertThat(found.actual()).isEqualTo(chosen).isDirectory();
        assertThat(shared).doesNotExist();
    }

    private static void assumeRootWithPostgresUser() throws Exception {
        assumeTrue(
                LocalPostgresServer.runsAsPostgresUser(),
                "only root runs the server as another user (postgres); this build runs as "
                        + System.getProperty("user.name"));
        assumeTrue(
                new ProcessBuilder("id", "postgres").start().waitFor() == 0,
                "no postgres user on this machine: sudo apt-get install postgresql");
    }

    private static void delete(Path folder) throws Exception {
        if (Files.exists(folder)) {
            try (Stream<Path> paths = Files.walk(folder)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }
}
