package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.TenantDatabase;
import dev.tenantprovisioner.domain.usecase.DeprovisionCommand;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The database step of the provisioning workflow: a checkpoint before the first start, handed to the container. */
class TenantDatabaseStepTest {

    @Test
    void givenDatabasesConfigured_whenProvisioning_thenTheContainerGetsItsDatabaseWithThePasswordOnlyAsASecret() {
        World world = World.withDatabases(r -> r, r -> r, d -> d);

        world.provision(1);

        Lease lease = world.lease(1);
        assertThat(lease.databaseReady()).isTrue();
        TenantDatabase database = world.databases.access(aTenant(1), 1);
        ContainerSpec spec = world.runtime.specOf(lease.task().orElseThrow()).orElseThrow();
        assertThat(spec.environment())
                .containsEntry("PGDATABASE", database.name())
                .containsEntry("PGUSER", database.user())
                .doesNotContainKeys("PGPASSWORD", "DATABASE_URL");
        assertThat(spec.environment().values()).noneMatch(value -> value.contains(database.password()));
        assertThat(spec.secrets())
                .containsEntry("PGPASSWORD", database.password())
                .containsKey("DATABASE_URL");
    }

    @Test
    void givenServerDown_whenProvisioning_thenNoContainerNoEmailAndARetryFinishesWithOneDatabase() {
        AtomicInteger failuresLeft = new AtomicInteger(1);
        AtomicInteger ensures = new AtomicInteger();
        World world = World.withDatabases(r -> r, r -> r, d -> new Decorators.Databases(d) {
            @Override
            public TenantDatabase ensure(TenantId tenant, int generation) {
                ensures.incrementAndGet();
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new InfrastructureException("database server unreachable", true);
                }
                return super.ensure(tenant, generation);
            }
        });

        assertThatThrownBy(() -> world.provision(1)).isInstanceOf(InfrastructureException.class);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.PORT_ALLOCATED);
        assertThat(world.lease(1).databaseReady()).isFalse();
        assertThat(world.runtime.all()).isEmpty();

        world.provision(1);
        world.provision(1);

        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.runtime.all()).hasSize(1);
        assertThat(ensures)
                .as("ensured until it worked, never again after the checkpoint")
                .hasValue(2);
    }

    @Test
    void givenStoppedTenant_whenRestarted_thenTheNewContainerGetsTheSameDatabaseAndPassword() {
        World world = World.withDatabases(r -> r, r -> r, d -> d);
        world.provision(1);
        Lease first = world.lease(1);
        world.runtime.crash(first.task().orElseThrow());
        world.describe(1);

        world.provision(1);

        Lease restarted = world.lease(1);
        assertThat(restarted.task()).isNotEqualTo(first.task());
        assertThat(world.runtime
                        .specOf(restarted.task().orElseThrow())
                        .orElseThrow()
                        .secrets())
                .isEqualTo(world.runtime
                        .specOf(first.task().orElseThrow())
                        .orElseThrow()
                        .secrets());
    }

    @Test
    void givenProvisionedTenant_whenDeprovisionedAndRevived_thenTheDatabaseIsRemovedAndTheRevivalGetsAFreshOne() {
        World world = World.withDatabases(r -> r, r -> r, d -> d);
        world.provision(1);
        String firstPassword = world.databases.access(aTenant(1), 1).password();

        world.deprovision(1);
        assertThat(world.databases.exists(aTenant(1))).isFalse();

        world.revive(1);
        assertThat(world.databases.generationOf(aTenant(1))).contains(2);
        assertThat(world.databases.access(aTenant(1), 2).password()).isNotEqualTo(firstPassword);
    }

    @Test
    void givenDeprovisionThatDiedBeforeRemovingTheDatabase_whenRepeated_thenTheDatabaseIsRemoved() {
        AtomicInteger failuresLeft = new AtomicInteger(1);
        World world = World.withDatabases(r -> r, r -> r, d -> new Decorators.Databases(d) {
            @Override
            public void remove(TenantId tenant, int generation) {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new InfrastructureException("database server unreachable", true);
                }
                super.remove(tenant, generation);
            }
        });
        world.provision(1);

        assertThatThrownBy(() -> world.deprovision(1)).isInstanceOf(InfrastructureException.class);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.DEPROVISIONED);
        assertThat(world.databases.exists(aTenant(1))).isTrue();

        world.deprovision(1);

        assertThat(world.databases.exists(aTenant(1))).isFalse();
    }

    @Test
    void givenDeprovisionWhileTheDatabaseIsBeingCreated_whenTheProvisionGoesOn_thenWhatItCreatedIsRemovedAgain() {
        AtomicReference<World> worldRef = new AtomicReference<>();
        World world = World.withDatabases(r -> r, r -> r, d -> new Decorators.Databases(d) {
            @Override
            public TenantDatabase ensure(TenantId tenant, int generation) {
                // The cancellation lands while the server is creating the database.
                worldRef.get().deprovision.deprovision(new DeprovisionCommand(tenant));
                return super.ensure(tenant, generation);
            }
        });
        worldRef.set(world);

        ProvisionOutcome outcome = world.provision(1);

        assertThat(outcome).isInstanceOf(ProvisionOutcome.Rejected.class);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.DEPROVISIONED);
        assertThat(world.databases.exists(aTenant(1))).isFalse();
        assertThat(world.runtime.all()).isEmpty();
    }
}
