package dev.tenantprovisioner.adapters.inmemory;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.usecase.ReconcileContract;

/** The reconciler on the in-memory runtime: drift injected by crashing its containers. */
class InMemoryReconcileTest extends ReconcileContract {

    private InMemoryContainerRuntime runtime;

    @Override
    protected PortRegistry newRegistry() {
        return new InMemoryPortRegistry(PortPool.range(3000, 3099), clock);
    }

    @Override
    protected ContainerRuntime newRuntime() {
        runtime = new InMemoryContainerRuntime();
        return runtime;
    }

    @Override
    protected void givenRunning(TaskId task) {
        // Its containers run at once.
    }

    @Override
    protected void givenStoppedBehindTheBack(TaskId task) {
        runtime.crash(task, "exit code 137 (OOMKilled)");
    }

    @Override
    protected HostPort port(int n) {
        return HostPort.of(2999 + n);
    }
}
