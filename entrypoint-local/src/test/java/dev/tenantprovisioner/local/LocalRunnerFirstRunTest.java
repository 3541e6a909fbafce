package dev.tenantprovisioner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tenantprovisioner.adapters.postgres.LocalPostgresServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The main command's first run on a machine that is not ready for it, as its own process: what cannot start is named
 * in one line on stderr with the setting to change, the exit code is 2 and no stack trace reaches the terminal; tenant
 * databases that cannot start in auto mode leave the runner serving, saying why in its banner.
 */
class LocalRunnerFirstRunTest {

    @TempDir
    Path work;

    private final String tenantHost = Runner.aTenantHost();

    @BeforeEach
    void openToOthers() throws Exception {
        // As root the database server runs as postgres; only the test about a private folder keeps it out.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void givenPortTakenByAnotherProgram_whenTheRunnerStarts_thenOneLineNamesLocalHttpPortAndItExitsWith2()
            throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int taken = other.getLocalPort();

            RunnerProcess runner = RunnerProcess.start(work, settings(Map.of("LOCAL_HTTP_PORT", "" + taken)));

            assertThat(runner.awaitExit()).isEqualTo(2);
            assertThat(oneLine(runner))
                    .isEqualTo("cannot listen on 127.0.0.1:" + taken + " (LOCAL_HTTP_PORT): another program is"
                            + " using that port; set LOCAL_HTTP_PORT to a free port, or to 0 for any free one");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"LOCAL_OUTBOX", "LOCAL_TENANT_LOGS"})
    void givenAFolderThatCannotBeMade_whenTheRunnerStarts_thenOneLineNamesItsSettingAndItExitsWith2(String setting)
            throws Exception {
        // A folder inside a regular file cannot be made, not even by root (for whom permission bits are no obstacle).
        Path file = Files.writeString(work.resolve("a-file"), "not a folder");
        Path folder = file.resolve("inside");

        RunnerProcess runner = RunnerProcess.start(work, settings(Map.of(setting, folder.toString())));

        assertThat(runner.awaitExit()).isEqualTo(2);
        assertThat(oneLine(runner))
                .startsWith("cannot write the folder " + folder + " (" + setting + "): ")
                .endsWith("; set " + setting + " to a folder you can write");
    }

    @Test
    void givenAPostgresThatCannotStart_whenDatabasesAreAuto_thenTheRunnerServesWithoutThemAndItsBannerSaysWhy()
            throws Exception {
        Path bin = failingPostgres();

        try (RunnerProcess runner =
                RunnerProcess.start(work, settings(Map.of("LOCAL_DATABASE", "auto")), "-Dpostgres.bin=" + bin)) {
            URI page = runner.awaitBanner();

            assertThat(runner.bannerLine("Databases"))
                    .startsWith("Databases     off: initdb failed (exit 1): initdb: error: could not create"
                            + " directory \"stand-in\": No space left on device (details in "
                            + work.resolve("tenant-logs").resolve(RunnerLog.FILE_NAME) + ")")
                    .endsWith("; set LOCAL_DATABASE_DIR to another folder, or set LOCAL_DATABASE=off to run"
                            + " without them quietly");
            assertThat(work.resolve("tenant-logs").resolve(RunnerLog.FILE_NAME))
                    .content()
                    .contains("initdb: error: could not create directory");
            assertThat(runner.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
            ApiClient api = new ApiClient(page, Runner.API_KEY);
            assertThat(api.send("GET", "/", null, false).statusCode()).isEqualTo(200);
            api.provision("ada", "ada@example.com");
            assertThat(api.fetch(ApiClient.direct(tenantHost, api.awaitRunning("ada"))))
                    .contains("Hello, ada");
        }
    }

    @Test
    void givenAPostgresThatCannotStart_whenDatabasesAreOn_thenOneLineSaysWhyAndTheRunnerExitsWith2() throws Exception {
        Path bin = failingPostgres();

        RunnerProcess runner =
                RunnerProcess.start(work, settings(Map.of("LOCAL_DATABASE", "on")), "-Dpostgres.bin=" + bin);

        assertThat(runner.awaitExit()).isEqualTo(2);
        assertThat(oneLine(runner))
                .startsWith("tenant databases (LOCAL_DATABASE=on) cannot start: initdb failed (exit 1): initdb: error:")
                .endsWith("; set LOCAL_DATABASE_DIR to another folder, or set LOCAL_DATABASE=auto to run without"
                        + " them");
    }

    @Test
    void givenADatabaseServerThatCannotBeReached_whenTheRunnerStarts_thenOneLineNamesDatabaseAdminUrlAndItExitsWith2()
            throws Exception {
        int nobody;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = free.getLocalPort();
        }

        RunnerProcess runner = RunnerProcess.start(
                work,
                settings(Map.of(
                        "DATABASE_ADMIN_URL",
                        "jdbc:postgresql://127.0.0.1:" + nobody + "/postgres",
                        "DATABASE_ADMIN_USER",
                        "admin",
                        "DATABASE_ADMIN_PASSWORD",
                        "not-a-real-password",
                        "DATABASE_PASSWORD_KEY",
                        Base64.getEncoder().encodeToString(new byte[32]))));

        assertThat(runner.awaitExit()).isEqualTo(2);
        assertThat(oneLine(runner))
                .startsWith(
                        "tenant databases (DATABASE_ADMIN_URL) cannot start: PostgreSQL: could not connect as admin")
                .contains("127.0.0.1:" + nobody)
                .endsWith("; check DATABASE_ADMIN_URL, DATABASE_ADMIN_USER and DATABASE_ADMIN_PASSWORD, or unset them"
                        + " to let LOCAL_DATABASE choose");
    }

    /**
     * A clone in root's home folder, which no one else may enter (mode 0700), and {@code run-local.sh} started there
     * with nothing set: PostgreSQL, which runs as postgres, keeps its cluster where that user can reach it, the page
     * is served, and a tenant counts its visits in its own database; the next start finds the same cluster.
     */
    @Test
    void givenRootAndACloneInAPrivateHomeFolder_whenTheRunnerStartsTwice_thenATenantCountsVisitsInItsOwnDatabase()
            throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "a clone in a private folder is root's case (the server then runs as postgres); this build runs as "
                        + System.getProperty("user.name"));
        assumeTrue(LocalPostgresServer.findBinaries().isPresent(), LocalPostgresServer.missingMessage());
        Path home = Files.createDirectory(work.resolve("root-home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path clone = Files.createDirectory(home.resolve("tenant-provisioner"));
        Path note = clone.resolve("tenant-data/postgres/cluster-location");
        try {
            String firstPlace;
            try (RunnerProcess runner = RunnerProcess.start(clone, settings(Map.of()))) {
                ApiClient api = new ApiClient(runner.awaitBanner(), Runner.API_KEY);

                HttpResponse<String> page = api.send("GET", "/", null, false);
                api.provision("ada", "ada@example.com");
                Map<String, Object> ada = api.awaitRunning("ada");

                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("<form id=\"signup\"");
                assertThat(api.fetch(ApiClient.direct(tenantHost, ada)))
                        .contains("1, counted in your own database tenant_ada");
                assertThat(api.fetch(ApiClient.direct(tenantHost, ada)))
                        .contains("2, counted in your own database tenant_ada");
                firstPlace = Files.readString(note).strip();
                assertThat(firstPlace).startsWith("/var/lib/tenant-provisioner/");
                assertThat(runner.bannerLine("Databases"))
                        .contains("data in " + firstPlace + " (the postgres user cannot reach LOCAL_DATABASE_DIR "
                                + clone.resolve("tenant-data/postgres") + ", whose cluster-location names this"
                                + " place)");
                assertThat(runner.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
            }

            try (RunnerProcess again = RunnerProcess.start(clone, settings(Map.of()))) {
                ApiClient api = new ApiClient(again.awaitBanner(), Runner.API_KEY);
                api.provision("ada", "ada@example.com");

                assertThat(api.fetch(ApiClient.direct(tenantHost, api.awaitRunning("ada"))))
                        .as("the same cluster, and the same key for the tenant's password")
                        .contains("3, counted in your own database tenant_ada");
                assertThat(Files.readString(note).strip()).isEqualTo(firstPlace);
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
                    .as("the home folder is never opened up")
                    .isEqualTo("rwx------");
        } finally {
            if (Files.exists(note)) {
                delete(Path.of(Files.readString(note).strip()));
            }
        }
    }

    private Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>();
        settings.put("API_KEYS", Runner.API_KEY);
        settings.put("LOCAL_HTTP_PORT", "0");
        settings.put("LOCAL_TENANT_HOST", tenantHost);
        settings.putAll(extra);
        return settings;
    }

    /** PostgreSQL binaries whose initdb fails as a full disk would make it fail. */
    private Path failingPostgres() throws Exception {
        Path bin = Files.createDirectory(work.resolve("postgres-bin"));
        for (String tool : List.of("initdb", "pg_ctl")) {
            Path script = bin.resolve(tool);
            Files.writeString(
                    script,
                    "#!/bin/sh\necho 'The files belonging to this database system will be owned by user \"postgres\".'\n"
                            + "echo 'initdb: error: could not create directory \"stand-in\": No space left on device'"
                            + " >&2\nexit 1\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    /** The one line on stderr, after checking it is the only one and no stack trace came with it. */
    private static String oneLine(RunnerProcess runner) {
        List<String> lines = runner.stderr().lines().toList();
        assertThat(lines).as("stderr:\n%s", runner.stderr()).hasSize(1);
        assertThat(runner.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
        return lines.get(0);
    }

    private static void delete(Path folder) throws Exception {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }
}
