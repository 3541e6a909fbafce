package dev.tenantprovisioner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner as a newcomer uses it: real HTTP, real tenant processes, real files in the outbox. */
class LocalRunnerEndToEndTest {

    @TempDir
    Path work;

    private Runner runner;

    @BeforeEach
    void start() throws IOException {
        runner = new Runner(work);
    }

    @AfterEach
    void stop() {
        runner.close();
    }

    @Test
    void givenRunner_whenTwoTenantsSignUpAndOneRepeats_thenEachRunsOnItsOwnPortAndDeprovisioningFreesIt()
            throws Exception {
        Map<String, Object> alice = runner.provision("alice", "alice@example.com");
        Map<String, Object> bob = runner.provision("bob", "bob@example.com");
        Map<String, Object> aliceAgain = runner.provision("alice", "alice@example.com");

        assertThat(alice.get("outcome")).isEqualTo("provisioned");
        assertThat(bob.get("outcome")).isEqualTo("provisioned");
        assertThat(aliceAgain.get("outcome")).isEqualTo("already_provisioned");
        assertThat(aliceAgain.get("port")).isEqualTo(alice.get("port"));
        assertThat(bob.get("port")).isNotEqualTo(alice.get("port"));

        Map<String, Object> aliceRunning = runner.awaitRunning("alice");
        Map<String, Object> bobRunning = runner.awaitRunning("bob");
        int alicePort = port(aliceRunning);
        assertThat(aliceRunning.get("accessUrl"))
                .isEqualTo("http://alice." + runner.tenantHost.replace('.', '-') + ".sslip.io:" + alicePort);
        assertThat(runner.fetch(direct(aliceRunning))).contains("Hello, alice");
        assertThat(runner.fetch(direct(bobRunning))).contains("Hello, bob");
        ProcessHandle aliceProcess = process(aliceRunning);
        assertThat(aliceProcess.isAlive()).isTrue();

        HttpResponse<String> deprovision = runner.send("DELETE", "/tenants/alice", null);

        assertThat(deprovision.statusCode()).isEqualTo(200);
        assertThat(Runner.json(deprovision).get("state")).isEqualTo("deprovisioned");
        assertThat(aliceProcess.isAlive()).isFalse();
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress(runner.tenantHost, alicePort), 1000))
                .isInstanceOf(ConnectException.class);
        assertThat(runner.fetch(direct(bobRunning))).contains("Hello, bob");
        Map<String, Object> carol = runner.provision("carol", "carol@example.com");
        assertThat(port(carol)).as("alice's port is the lowest free one again").isEqualTo(alicePort);
        assertThat(runner.fetch(direct(runner.awaitRunning("carol")))).contains("Hello, carol");
    }

    @Test
    void givenPortTakenByAForeignProcess_whenTenantsSignUp_thenTheyRunOnOtherPortsAndNoneFails() throws Exception {
        try (ServerSocket foreign = new ServerSocket(8100, 1, InetAddress.getByName(runner.tenantHost))) {
            Map<String, Object> gina = runner.provision("gina", "gina@example.com");
            Map<String, Object> hank = runner.provision("hank", "hank@example.com");

            assertThat(gina.get("outcome")).isEqualTo("provisioned");
            assertThat(port(gina)).isEqualTo(8101);
            assertThat(port(hank))
                    .as("the taken port is held back, not handed to the next signup")
                    .isEqualTo(8102);
            assertThat(runner.fetch(direct(runner.awaitRunning("gina")))).contains("Hello, gina");
            assertThat(runner.fetch(direct(runner.awaitRunning("hank")))).contains("Hello, hank");
        }
    }

    @Test
    void givenARunningRunner_thenItsServerSendsWithoutNaglesDelay() {
        // Headers and body go out in two writes; with Nagle's algorithm the body would wait for the client's delayed
        // ACK on a kept-alive connection (docs/performance.md: POST /provision 55-65 ms before, 13-21 ms after).
        assertThat(System.getProperty(LocalRunner.NO_DELAY)).isEqualTo("true");
    }

    @Test
    void givenRunningTenant_whenItsEmailIsFetched_thenTheOutboxHoldsTheLinkItWasSent() throws Exception {
        runner.provision("dora", "dora@example.com");
        Map<String, Object> running = runner.awaitRunning("dora");

        Map<String, Object> mail = Runner.json(runner.send("GET", "/local/outbox/dora", null));

        assertThat(mail.get("to")).isEqualTo("dora@example.com");
        assertThat(mail.get("subject")).isEqualTo("Your dora instance is ready");
        assertThat((String) mail.get("text")).contains((String) running.get("accessUrl"));
        assertThat(Path.of((String) mail.get("file"))).exists().hasParent(work.resolve("outbox"));
    }

    @Test
    void givenNoApiKey_whenCallingTenantRoutesOrTheOutbox_thenUnauthorizedAndNothingStarts() throws Exception {
        HttpResponse<String> provision =
                runner.send("POST", "/provision", "{\"userId\":\"eve\",\"email\":\"eve@example.com\"}", false);
        HttpResponse<String> outbox = runner.send("GET", "/local/outbox/eve", null, false);

        assertThat(provision.statusCode()).isEqualTo(401);
        assertThat(outbox.statusCode()).isEqualTo(401);
        assertThat(runner.send("GET", "/tenants/eve", null).statusCode()).isEqualTo(404);
    }

    @Test
    void givenRunner_whenTheLandingPageIsFetched_thenItServesTheSignupFormAndItsAssets() throws Exception {
        HttpResponse<String> page = runner.send("GET", "/", null, false);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
        assertThat(page.body())
                .contains("<form id=\"signup\"")
                .contains("<label for=\"userId\">")
                .contains("<label for=\"email\">");
        assertThat(runner.send("GET", "/assets/app.js", null, false).body()).contains("/provision");
        assertThat(runner.send("GET", "/assets/app.css", null, false).statusCode())
                .isEqualTo(200);
    }

    @Test
    void givenRunningTenants_whenTheRunnerCloses_thenNoTenantProcessIsLeft() throws Exception {
        runner.provision("frank", "frank@example.com");
        ProcessHandle frank = process(runner.awaitRunning("frank"));

        runner.close();

        assertThat(frank.isAlive()).isFalse();
    }

    private URI direct(Map<String, Object> tenant) {
        return URI.create("http://" + runner.tenantHost + ":" + port(tenant) + "/");
    }

    private static int port(Map<String, Object> tenant) {
        return ((BigDecimal) tenant.get("port")).intValueExact();
    }

    private static ProcessHandle process(Map<String, Object> tenant) {
        String task = (String) tenant.get("taskId");
        long pid = Long.parseLong(task.substring(task.lastIndexOf("-pid-") + 5));
        return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid + " for task " + task));
    }
}
