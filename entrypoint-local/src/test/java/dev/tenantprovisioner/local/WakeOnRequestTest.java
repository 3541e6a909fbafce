package dev.tenantprovisioner.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.adapters.postgres.LocalPostgresServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scale to zero on the local runner with the real proxy in front: a tenant without visits for {@code
 * IDLE_SUSPEND_AFTER} is put to sleep (read from the proxy's access log), and the next visit to its link wakes it: a
 * browser sees a page that waits for it, then its app, on the same port, with the same data and link, and no new
 * email; a crowd of visits wakes it once; a tenant suspended for billing is not woken.
 */
class WakeOnRequestTest {

    private static final String BROWSER = "text/html,application/xhtml+xml";

    private Path work;
    private Runner runner;
    private InetSocketAddress proxy;
    private int proxyPort;

    @BeforeEach
    void start() throws IOException {
        Assumptions.assumeTrue(
                LocalProxy.findCaddy().isPresent(), "caddy is not installed here: sudo apt-get install caddy");
        Assumptions.assumeTrue(LocalPostgresServer.findBinaries().isPresent(), LocalPostgresServer.missingMessage());
        // Open to others: as root, the tenants' PostgreSQL runs as the postgres user, who must reach it.
        work = Files.createTempDirectory("wake-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            proxyPort = socket.getLocalPort();
        }
        runner = new Runner(
                work,
                Map.of(
                        "LOCAL_DATABASE",
                        "on",
                        "LOCAL_DATABASE_DIR",
                        work.resolve("postgres").toString(),
                        "LOCAL_PROXY",
                        "caddy",
                        "LOCAL_PROXY_DIR",
                        work.resolve("proxy").toString(),
                        "PROXY_PORT",
                        Integer.toString(proxyPort),
                        "IDLE_SUSPEND_AFTER",
                        "10s"));
        proxy = new InetSocketAddress("127.0.0.1", proxyPort);
    }

    @AfterEach
    void stop() throws IOException {
        if (runner != null) {
            runner.close();
        }
        if (work != null) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    private String name(String tenant) {
        return tenant + ".localhost:" + proxyPort;
    }

    private Map<String, Object> tenant(String id) throws Exception {
        return Runner.json(runner.send("GET", "/tenants/" + id, null));
    }

    private Map<String, Object> awaitState(String id, String state) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        Map<String, Object> status = tenant(id);
        while (!state.equals(status.get("state")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            status = tenant(id);
        }
        assertThat(status.get("state")).as("%s, after a minute: %s", id, status).isEqualTo(state);
        return status;
    }

    @Test
    void givenATenantAsleep_whenItsLinkIsOpened_thenAPageWaitsAndItsAppAnswersOnTheSamePortWithTheSameData()
            throws Exception {
        long signup = System.nanoTime();
        runner.provision("ada", "ada@example.com");
        Map<String, Object> running = runner.awaitRunning("ada");
        long startMillis = (System.nanoTime() - signup) / 1_000_000;
        assertThat(RawHttp.get(proxy, name("ada")).body()).contains("1, counted in your own database tenant_ada");

        Map<String, Object> asleep = awaitState("ada", "suspended");
        assertThat(asleep.get("failure")).asString().contains("asleep: no traffic for 10 s");

        long visit = System.nanoTime();
        RawHttp.Answer page = RawHttp.get(proxy, name("ada"), BROWSER);
        long deadline = System.currentTimeMillis() + 60_000;
        while ((page.body().contains("tries again by itself") || page.body().contains("Starting your instance"))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            page = RawHttp.get(proxy, name("ada"), BROWSER);
        }
        long wakeMillis = (System.nanoTime() - visit) / 1_000_000;
        System.out.println("wake: the app answered " + wakeMillis + " ms after the first visit to its sleeping link;"
                + " the woken process took " + appStartMillis(tenant("ada")) + " ms from its start to answering"
                + " (the runtime's started and running steps); the first signup, to running with the email sent, "
                + startMillis + " ms");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Hello, ada").contains("2, counted in your own database tenant_ada");
        Map<String, Object> awake = tenant("ada");
        assertThat(awake.get("state")).isEqualTo("running");
        assertThat(awake.get("port")).isEqualTo(running.get("port"));
        assertThat(awake.get("accessUrl")).isEqualTo(running.get("accessUrl"));
        assertThat(emails()).as("no new email").hasSize(1);
    }

    @Test
    void givenATenantAsleep_whenManyVisitsArriveAtOnce_thenItWakesOnceAndAnApiClientIsToldWhenToRetry()
            throws Exception {
        runner.provision("bo", "bo@example.com");
        runner.awaitRunning("bo");
        awaitState("bo", "suspended");
        // The proxy learns at its next poll (1 s here) that the name now goes to the wake route; until then a visit
        // gets the page that tries again by itself.
        Thread.sleep(2_500);
        long restartsBefore = restarting("bo");

        ExecutorService crowd = Executors.newFixedThreadPool(10);
        List<Future<RawHttp.Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                boolean browser = i % 2 == 0;
                Callable<RawHttp.Answer> visit =
                        () -> browser ? RawHttp.get(proxy, name("bo"), BROWSER) : RawHttp.get(proxy, name("bo"));
                answers.add(crowd.submit(visit));
            }
            for (Future<RawHttp.Answer> answer : answers) {
                RawHttp.Answer got = answer.get(60, TimeUnit.SECONDS);
                assertThat(got.status()).isIn(200, 502, 503);
                if (got.status() == 503) {
                    assertThat(got.header("retry-after")).isPresent();
                }
            }
        } finally {
            crowd.shutdownNow();
        }

        awaitState("bo", "running");
        assertThat(restarting("bo") - restartsBefore)
                .as("one wake for the whole crowd")
                .isEqualTo(1);
        assertThat(emails()).hasSize(1);
    }

    @Test
    void givenATenantSuspendedForBilling_whenItsLinkIsOpened_thenTheSuspendedPageAndItStaysDown() throws Exception {
        runner.provision("cy", "cy@example.com");
        runner.awaitRunning("cy");
        runner.send("POST", "/tenants/cy/suspend", "{}");
        awaitState("cy", "suspended");
        Thread.sleep(2_000); // the proxy's next poll

        RawHttp.Answer page = RawHttp.get(proxy, name("cy"), BROWSER);

        assertThat(page.status()).isEqualTo(503);
        assertThat(page.body()).contains("This instance is suspended");
        Thread.sleep(1_000);
        assertThat(tenant("cy").get("state")).isEqualTo("suspended");
    }

    /** The last start's time to answering, from the tenant's timeline: its last started step to its running step. */
    @SuppressWarnings("unchecked")
    private static long appStartMillis(Map<String, Object> tenant) {
        List<Map<String, Object>> steps = (List<Map<String, Object>>) tenant.get("timeline");
        java.time.Instant started = null;
        java.time.Instant running = null;
        for (Map<String, Object> step : steps) {
            if ("started".equals(step.get("step"))) {
                started = java.time.Instant.parse((String) step.get("at"));
            } else if ("running".equals(step.get("step"))) {
                running = java.time.Instant.parse((String) step.get("at"));
            }
        }
        return started == null || running == null
                ? -1
                : java.time.Duration.between(started, running).toMillis();
    }

    private long restarting(String id) throws Exception {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) tenant(id).get("timeline");
        return steps.stream()
                .filter(step -> "restarting".equals(step.get("step")))
                .count();
    }

    private List<Path> emails() throws IOException {
        try (Stream<Path> files = Files.list(work.resolve("outbox"))) {
            return files.filter(file -> file.getFileName().toString().endsWith(".eml"))
                    .toList();
        }
    }

    @SuppressWarnings("unused")
    private static int port(Map<String, Object> tenant) {
        return ((BigDecimal) tenant.get("port")).intValueExact();
    }
}
