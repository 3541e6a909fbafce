package dev.tenantprovisioner.adapters.inmemory.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A runtime whose answer to a start already says the task is not running yet (ECS answers RunTask with the task in
 * PROVISIONING or PENDING; RunTask API reference) is not asked for the task's status again in the same call: that
 * request would learn nothing. A runtime that says nothing is asked at once, as before.
 */
class StartAnswerTest {

    /** Counts status requests; with {@code says}, each start answers that its task is not running yet. */
    private static final class Answering extends Decorators.Runtime {
        final AtomicInteger statusRequests = new AtomicInteger();
        private final boolean says;

        Answering(dev.tenantprovisioner.domain.spi.ContainerRuntime delegate, boolean says) {
            super(delegate);
            this.says = says;
        }

        @Override
        public StartOutcome start(ContainerSpec spec) {
            StartOutcome outcome = delegate.start(spec);
            return says && outcome instanceof StartOutcome.Started started
                    ? new StartOutcome.Started(started.task(), true)
                    : outcome;
        }

        @Override
        public ContainerStatus status(TaskId task) {
            statusRequests.incrementAndGet();
            return delegate.status(task);
        }
    }

    private Answering runtime;

    private World world(boolean says) {
        return new World(PortPool.range(3000, 3099), ProvisioningPolicy.defaults(), delegate -> {
            runtime = new Answering(delegate, says);
            return runtime;
        });
    }

    @Test
    void givenARuntimeThatSaysTheTaskIsNotRunningYet_whenProvisioned_thenItsStatusIsAskedOnlyByTheNextCall() {
        World world = world(true);

        world.provision(1);

        assertThat(world.lease(1).state()).isEqualTo(TenantState.CONTAINER_STARTED);
        assertThat(runtime.statusRequests).hasValue(0);
        assertThat(world.mailer.accepted()).isEmpty();

        world.describe(1);

        assertThat(runtime.statusRequests).hasValue(1);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.mailer.accepted()).hasSize(1);
    }

    @Test
    void givenARuntimeThatSaysNothing_whenProvisioned_thenItsStatusIsAskedAtOnceAndTheTenantRuns() {
        World world = world(false);

        world.provision(1);

        assertThat(runtime.statusRequests).hasValue(1);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.mailer.accepted()).hasSize(1);
    }
}
