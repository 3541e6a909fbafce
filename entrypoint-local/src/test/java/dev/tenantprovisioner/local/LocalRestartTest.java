package dev.tenantprovisioner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart as users of any platform expect it, on the local runner: kill a tenant's process and its page answers again
 * on the same port within seconds (the first backoff, 5 s, and a start), with no new email and the attempt in its
 * timeline; and the limits answer 429 and 503 with problem+json and nothing made.
 */
class LocalRestartTest {

    /** The first backoff (5 s) plus the runner's sweep (every second) plus the demo app's start, with room. */
    private static final long ANSWER_AGAIN_BOUND_MILLIS = 30_000;

    @TempDir
    Path work;

    @Test
    void givenARunningTenant_whenItsProcessIsKilled_thenItsPageAnswersAgainOnTheSamePortWithinSeconds()
            throws Exception {
        try (Runner runner = new Runner(work)) {
            runner.provision("ada", "ada@example.com");
            Map<String, Object> running = runner.awaitRunning("ada");
            URI page = ApiClient.direct(runner.tenantHost, running);
            assertThat(runner.fetch(page)).contains("Hello, ada");
            String task = (String) running.get("taskId");
            ProcessHandle process = ProcessHandle.of(Long.parseLong(task.substring(task.lastIndexOf("-pid-") + 5)))
                    .orElseThrow();

            long killedAt = System.nanoTime();
            process.destroyForcibly();
            process.onExit().get();
            String answer = awaitAnswer(runner, page);
            long seconds = (System.nanoTime() - killedAt) / 1_000_000_000L;
            System.out.println(
                    "LocalRestartTest: the killed tenant's page answered again after about " + seconds + " s");

            assertThat(answer).contains("Hello, ada");
            Map<String, Object> restarted = runner.awaitRunning("ada");
            assertThat(restarted.get("port")).isEqualTo(running.get("port"));
            assertThat(restarted.get("taskId")).isNotEqualTo(task);
            Map<String, Object> described = Runner.json(runner.send("GET", "/tenants/ada", null));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> timeline = (List<Map<String, Object>>) described.get("timeline");
            assertThat(timeline)
                    .extracting(step -> step.get("step"))
                    .containsSubsequence("running", "emailed", "stopped", "restarting", "started");
            assertThat(timeline)
                    .filteredOn(step -> "stopped".equals(step.get("step")))
                    .singleElement()
                    .satisfies(step -> assertThat((String) step.get("detail"))
                            .startsWith("container stopped: process exited with code 137"));
            try (Stream<Path> emails = Files.list(work.resolve("outbox"))) {
                assertThat(emails.filter(file -> file.toString().endsWith(".eml")))
                        .as("a restart sends no new email")
                        .hasSize(1);
            }
        }
    }

    private static String awaitAnswer(Runner runner, URI page) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ANSWER_AGAIN_BOUND_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            try {
                return runner.fetch(page);
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError(page + " did not answer again within " + ANSWER_AGAIN_BOUND_MILLIS + " ms");
    }

    @Test
    void givenTheActiveLimitReached_whenAnotherTenantSignsUp_then429WithAProblemAndNothingMade() throws Exception {
        try (Runner runner = new Runner(work, Map.of("LOCAL_DATABASE", "off", "MAX_ACTIVE_TENANTS", "1"))) {
            runner.provision("ada", "ada@example.com");

            HttpResponse<String> refused =
                    runner.send("POST", "/provision", "{\"userId\":\"bo\",\"email\":\"bo@example.com\"}");

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("content-type")).contains("application/problem+json");
            assertThat(refused.headers().firstValue("retry-after")).isPresent();
            assertThat(Runner.json(refused).get("code")).isEqualTo("tenant-limit");
            assertThat(runner.send("GET", "/tenants/bo", null).statusCode()).isEqualTo(404);
            assertThat(runner.runner.runtime().liveTasks()).hasSize(1);
        }
    }

    @Test
    void givenATenantProcessTheRunnerDoesNotKnow_whenReconciledByHand_thenItIsStoppedAndTheAnswerSaysWhy()
            throws Exception {
        try (Runner runner = new Runner(work)) {
            var stray = runner.runner
                    .runtime()
                    .start(new dev.tenantprovisioner.domain.spi.ContainerSpec(
                            dev.tenantprovisioner.domain.model.TenantId.of("stray"),
                            dev.tenantprovisioner.domain.model.HostPort.of(8150),
                            "stray-g1-r0"));

            HttpResponse<String> answer = runner.send("POST", "/reconcile", null);

            assertThat(answer.statusCode()).isEqualTo(200);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> actions =
                    (List<Map<String, Object>>) Runner.json(answer).get("actions");
            assertThat(actions).singleElement().satisfies(action -> {
                assertThat(action.get("action")).isEqualTo("orphan_stopped");
                assertThat(action.get("tenantId")).isEqualTo("stray");
                assertThat(action.get("reason")).isEqualTo("no lease names it: the tenant has no lease");
                assertThat(action.get("taskId"))
                        .isEqualTo(((dev.tenantprovisioner.domain.spi.StartOutcome.Started) stray)
                                .task()
                                .value());
            });
            assertThat(runner.runner.runtime().liveTasks()).isEmpty();
            assertThat(((BigDecimal) Runner.json(answer).get("stillFailing")).intValue())
                    .isZero();
        }
    }
}
