package dev.tenantprovisioner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runner hears of its tenants' processes as the task-state function hears of ECS's tasks: a process that starts
 * answering on its port moves its tenant on at once (its link asked, its email sent) without anyone asking for the
 * tenant's status, and each event is one log line that says where the tenant is.
 */
class LocalTaskEventsTest {

    private static final long EMAIL_BOUND_MILLIS = 60_000;

    @TempDir
    Path work;

    @Test
    void givenASignup_whenNobodyAsksForTheTenantAfterward_thenItsEmailGoesOutAndTheRunningEventIsLogged()
            throws Exception {
        Path outbox = work.resolve("outbox");
        String tenantHost = Runner.aTenantHost();
        try (RunnerProcess runner = RunnerProcess.start(
                work,
                Map.of(
                        "API_KEYS",
                        Runner.API_KEY,
                        "LOCAL_HTTP_PORT",
                        "0",
                        "LOCAL_TENANT_HOST",
                        tenantHost,
                        "LOCAL_DATABASE",
                        "off",
                        "LOCAL_OUTBOX",
                        outbox.toString()))) {
            ApiClient api = new ApiClient(runner.awaitBanner(), Runner.API_KEY);

            Map<String, Object> accepted = api.provision("ada", "ada@example.com");
            List<Path> emails = awaitEmails(outbox);

            assertThat(emails)
                    .singleElement()
                    .satisfies(
                            email -> assertThat(email.getFileName().toString()).startsWith("welcome-ada-"));
            String task = (String) accepted.get("taskId");
            assertThat(runner.stdout().lines())
                    .filteredOn(line -> line.contains("\"route\":\"task-state\"") && line.contains(task))
                    .anySatisfy(line -> assertThat(line)
                            .contains("\"tenant\":\"ada\"")
                            .contains("\"lastStatus\":\"RUNNING\"")
                            .contains("\"state\":\"running\"")
                            .contains("\"notification\":\"sent\""));
        }
    }

    private static List<Path> awaitEmails(Path outbox) throws Exception {
        long deadline = System.currentTimeMillis() + EMAIL_BOUND_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (Files.isDirectory(outbox)) {
                try (Stream<Path> files = Files.list(outbox)) {
                    List<Path> emails = files.filter(file -> file.toString().endsWith(".eml"))
                            .toList();
                    if (!emails.isEmpty()) {
                        return emails;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no welcome email in " + outbox + " after " + EMAIL_BOUND_MILLIS + " ms");
    }
}
