package dev.tenantprovisioner.local;

import dev.tenantprovisioner.adapters.inmemory.InMemoryPortRegistry;
import dev.tenantprovisioner.adapters.local.ProcessContainerRuntime;
import dev.tenantprovisioner.adapters.local.TenantCommand;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.usecase.ReconcileContract;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * The reconciler on the local runtime: tenants are real processes of the demo app on a loopback address of the test's
 * own, and the drift is a process killed behind the runner's back ({@code kill -9}).
 */
class LocalProcessesReconcileTest extends ReconcileContract {

    private static final long RUNNING_BOUND_MILLIS = 30_000;

    private final Ipv4Address host = Ipv4Address.of(Runner.aTenantHost());
    private ProcessContainerRuntime runtime;

    @Override
    protected PortRegistry newRegistry() {
        return new InMemoryPortRegistry(PortPool.range(3000, 3099), clock);
    }

    @Override
    protected ContainerRuntime newRuntime() {
        runtime = new ProcessContainerRuntime(TenantCommand.demoApp(), host, 8, Optional.empty());
        return runtime;
    }

    @AfterEach
    void stopTenants() {
        runtime.close();
    }

    @Override
    protected void givenRunning(TaskId task) {
        long deadline = System.currentTimeMillis() + RUNNING_BOUND_MILLIS;
        while (runtime.status(task).phase() != ContainerStatus.Phase.RUNNING) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(task + " did not answer within " + RUNNING_BOUND_MILLIS + " ms");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    protected void givenStoppedBehindTheBack(TaskId task) {
        ProcessHandle process = runtime.process(task).orElseThrow();
        process.destroyForcibly();
        process.onExit().join();
    }

    @Override
    protected HostPort port(int n) {
        return HostPort.of(2999 + n);
    }
}
