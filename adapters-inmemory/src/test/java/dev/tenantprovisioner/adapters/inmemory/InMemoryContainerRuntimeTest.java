package dev.tenantprovisioner.adapters.inmemory;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerRuntimeContract;
import dev.tenantprovisioner.domain.spi.ContainerSpec;

class InMemoryContainerRuntimeTest extends ContainerRuntimeContract
        implements ContainerRuntimeContract.SeesHostPorts, ContainerRuntimeContract.QueuesStartsForCapacity {

    private final InMemoryContainerRuntime runtime = new InMemoryContainerRuntime().startPending(true);

    @Override
    public ContainerRuntime runtime() {
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
    public void givenPortTakenBySomethingElse(int port) {
        runtime.start(new ContainerSpec(TenantId.of("squatter"), HostPort.of(port), "squatter-token"));
    }

    @Override
    public void givenStartsQueuedForCapacity() {
        runtime.withCapacity(0).queueWhenFull(true);
    }

    @Override
    public void givenCapacityNeverCame(TaskId task) {
        runtime.runOutOfCapacity(task, "RESOURCE:MEMORY");
    }
}
