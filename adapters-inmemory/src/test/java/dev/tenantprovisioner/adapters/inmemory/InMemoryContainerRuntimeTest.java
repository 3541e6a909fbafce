package dev.tenantprovisioner.adapters.inmemory;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerRuntimeContract;
import dev.tenantprovisioner.domain.spi.ContainerSpec;

class InMemoryContainerRuntimeTest extends ContainerRuntimeContract {

    private final InMemoryContainerRuntime runtime = new InMemoryContainerRuntime().startPending(true);

    @Override
    protected ContainerRuntime runtime() {
        return runtime;
    }

    @Override
    protected void givenNoCapacity() {
        runtime.withCapacity(0);
    }

    @Override
    protected void givenRunning(TaskId task) {
        runtime.markRunning(task);
    }

    @Override
    protected void givenStopped(TaskId task) {
        runtime.crash(task);
    }

    @Override
    protected TaskId unknownTask() {
        return TaskId.of("inmemory-task-404");
    }

    @Override
    protected boolean givenPortTakenBySomethingElse(int port) {
        runtime.start(new ContainerSpec(TenantId.of("squatter"), HostPort.of(port), "squatter-token"));
        return true;
    }

    @Override
    protected boolean givenStartsQueuedForCapacity() {
        runtime.withCapacity(0).queueWhenFull(true);
        return true;
    }

    @Override
    protected void givenCapacityNeverCame(TaskId task) {
        runtime.runOutOfCapacity(task, "RESOURCE:MEMORY");
    }
}
