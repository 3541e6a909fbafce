package dev.tenantprovisioner.adapters.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerRuntimeContract;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import dev.tenantprovisioner.domain.spi.StopReason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real processes of the bundled demo app. Each test binds to its own loopback address (127.x.y.z), so
 * the contract's fixed port 3000 cannot collide with anything else listening on 127.0.0.1.
 */
class ProcessContainerRuntimeTest extends ContainerRuntimeContract implements ContainerRuntimeContract.SeesHostPorts {

    private final Ipv4Address host =
            Ipv4Address.of("127." + ThreadLocalRandom.current().nextInt(1, 255) + "."
                    + ThreadLocalRandom.current().nextInt(0, 255) + "."
                    + ThreadLocalRandom.current().nextInt(2, 255));
    private ProcessContainerRuntime runtime =
            new ProcessContainerRuntime(TenantCommand.demoApp(), host, 8, Optional.empty());
    private ServerSocket squatter;

    @AfterEach
    void stopEverything() throws IOException {
        runtime.close();
        if (squatter != null) {
            squatter.close();
        }
    }

    @Override
    public ContainerRuntime runtime() {
        return runtime;
    }

    @Override
    protected void givenNoCapacity() {
        runtime.close();
        runtime = new ProcessContainerRuntime(TenantCommand.demoApp(), host, 1, Optional.empty());
        started(aSpec("filler", 3999));
    }

    @Override
    public void givenPortTakenBySomethingElse(int port) {
        try {
            squatter = new ServerSocket(port, 1, InetAddress.getByName(host.value()));
        } catch (IOException e) {
            throw new IllegalStateException("could not occupy port " + port + " on " + host, e);
        }
    }

    @Override
    protected void givenRunning(TaskId task) {
        Processes.awaitRunning(runtime, task);
    }

    @Override
    protected void givenStopped(TaskId task) {
        ProcessHandle process = runtime.process(task).orElseThrow();
        process.destroyForcibly();
        process.onExit().join();
    }

    @Override
    protected TaskId unknownTask() {
        return TaskId.of("local-404-pid-999999999");
    }

    @Test
    void givenRunningTenant_whenItsPortIsFetched_thenItGreetsTheTenantByName() throws Exception {
        TaskId task = started(aSpec("acme", 3000));
        Processes.awaitRunning(runtime, task);

        HttpResponse<String> page = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://" + host + ":3000/"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Hello, acme");
        assertThat(runtime.status(task)).isEqualTo(ContainerStatus.running(Optional.of(host)));
    }

    @Test
    void givenRunningTenant_whenStopped_thenItsProcessIsGoneAndThePortIsFree() throws Exception {
        TaskId task = started(aSpec("acme", 3000));
        Processes.awaitRunning(runtime, task);
        ProcessHandle process = runtime.process(task).orElseThrow();

        runtime.stop(task, TenantId.of("acme"), StopReason.DEPROVISION);

        assertThat(process.isAlive()).isFalse();
        assertThat(runtime.status(task).phase()).isEqualTo(ContainerStatus.Phase.STOPPED);
        assertThat(runtime.status(task).reason()).hasValue("stopped by the runner: tenant deprovisioned");
        try (ServerSocket again = new ServerSocket(3000, 1, InetAddress.getByName(host.value()))) {
            assertThat(again.isBound()).isTrue();
        }
    }

    @Test
    void givenProcessThatDies_whenAskingStatus_thenStoppedWithItsExitCode() {
        ProcessContainerRuntime failing =
                new ProcessContainerRuntime(TenantCommand.shell("exit 3"), host, 8, Optional.empty());
        TaskId task = ((StartOutcome.Started) failing.start(aSpec("acme", 3000))).task();

        failing.process(task).orElseThrow().onExit().join();

        assertThat(failing.status(task).phase()).isEqualTo(ContainerStatus.Phase.STOPPED);
        assertThat(failing.status(task).reason()).contains("process exited with code 3");
    }

    @Test
    void givenTenantLimitReached_whenStartingAnother_thenNoCapacityForTenants() {
        ProcessContainerRuntime single =
                new ProcessContainerRuntime(TenantCommand.demoApp(), host, 1, Optional.empty());
        try {
            single.start(aSpec("acme", 3000));

            StartOutcome second = single.start(aSpec("globex", 3001));

            assertThat(second).isEqualTo(new StartOutcome.NoCapacity("RESOURCE:TENANTS"));
        } finally {
            single.close();
        }
    }

    @Test
    void givenShellCommand_whenStarted_thenItSeesPortAndTenantInItsEnvironment() throws Exception {
        ProcessContainerRuntime shell = new ProcessContainerRuntime(
                TenantCommand.shell("exec " + Processes.demoAppCommandLine()), host, 8, Optional.empty());
        try {
            TaskId task = ((StartOutcome.Started) shell.start(aSpec("globex", 3002))).task();

            Processes.awaitRunning(shell, task);

            assertThat(get(3002)).contains("Hello, globex");
        } finally {
            shell.close();
        }
    }

    @Test
    void givenAStartedTenant_whenItsPortStartsAnswering_thenTheRunningListenerHearsOfItOnceAndItsPageAnswers()
            throws Exception {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        runtime.onRunning((tenant, task) -> heard.add(tenant.value() + " " + task.value()));

        TaskId task = started(aSpec("acme", 3000));
        String first = heard.poll(60, TimeUnit.SECONDS);

        assertThat(first).isEqualTo("acme " + task.value());
        assertThat(runtime.status(task)).isEqualTo(ContainerStatus.running(Optional.of(host)));
        assertThat(get(3000)).contains("Hello, acme");
        // Ten watch periods more: a port that keeps answering is reported once.
        assertThat(heard.poll(10 * ProcessContainerRuntime.WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS))
                .isNull();
    }

    @Test
    void givenAProcessThatEndsBeforeItAnswers_whenWatched_thenTheRunningListenerNeverHearsOfIt() throws Exception {
        ProcessContainerRuntime failing =
                new ProcessContainerRuntime(TenantCommand.shell("exit 3"), host, 8, Optional.empty());
        BlockingQueue<TaskId> heard = new LinkedBlockingQueue<>();
        failing.onRunning((tenant, task) -> heard.add(task));
        try {
            TaskId task = ((StartOutcome.Started) failing.start(aSpec("acme", 3000))).task();
            failing.process(task).orElseThrow().onExit().join();

            assertThat(heard.poll(10 * ProcessContainerRuntime.WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS))
                    .isNull();
        } finally {
            failing.close();
        }
    }

    private String get(int port) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private TaskId started(ContainerSpec spec) {
        return ((StartOutcome.Started) runtime.start(spec)).task();
    }
}
