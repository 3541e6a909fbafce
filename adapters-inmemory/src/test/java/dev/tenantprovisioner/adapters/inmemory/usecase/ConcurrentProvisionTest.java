package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Identical provisions at once, as a retrying client or a double-clicked signup sends them. */
class ConcurrentProvisionTest {

    private static final int CALLS = 6;

    @Test
    void givenIdenticalProvisionsThatAllReadNoLeaseFirst_thenExactlyOneIsNewAndOnePortContainerAndEmail()
            throws Exception {
        // Every call reads "no lease" before any of them asks for a port: the interleaving in which two of them both
        // used to answer "provisioned" (202).
        CyclicBarrier allRead = new CyclicBarrier(CALLS);
        AtomicInteger firstReads = new AtomicInteger();
        World world = World.withRegistry(registry -> new Decorators.Registry(registry) {
            @Override
            public Optional<Lease> find(TenantId tenant) {
                Optional<Lease> found = super.find(tenant);
                if (firstReads.incrementAndGet() <= CALLS) {
                    try {
                        allRead.await(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return found;
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(CALLS);
        List<ProvisionOutcome> outcomes = new ArrayList<>();
        try {
            List<Future<ProvisionOutcome>> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                calls.add(pool.submit(() -> world.provision(1)));
            }
            for (Future<ProvisionOutcome> call : calls) {
                outcomes.add(call.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(outcomes.stream().filter(ProvisionOutcome.Provisioned.class::isInstance))
                .hasSize(1);
        assertThat(outcomes.stream().filter(ProvisionOutcome.AlreadyProvisioned.class::isInstance))
                .hasSize(CALLS - 1);
        assertThat(world.runtime.all()).hasSize(1);
        assertThat(world.mailer.accepted()).hasSize(1);
        assertThat(world.lease(1).generation()).isEqualTo(1);
        assertThat(world.registry.find(aTenant(1))).isPresent();
    }
}
