package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.usecase.ApplyBillingEvent;
import dev.tenantprovisioner.domain.usecase.BillingEvent;
import dev.tenantprovisioner.domain.usecase.BillingOutcome;
import dev.tenantprovisioner.domain.usecase.DeprovisionCommand;
import dev.tenantprovisioner.domain.usecase.DeprovisionTenant;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Tombstones forget: a deprovisioned tenant's tombstone keeps no email address and is gone after TOMBSTONE_TTL; what a
 * late delivery does then.
 */
class TombstoneTest {

    private static final Duration TTL = Duration.ofDays(90);

    private final World world = new World();
    private final DeprovisionTenant deprovision =
            new DeprovisionTenant(world.registry, world.runtime, Optional.empty(), Optional.of(TTL));
    private final ApplyBillingEvent billing = new ApplyBillingEvent(
            world.provision,
            world.suspend,
            world.resume,
            deprovision,
            world.registry,
            world.billingRecords,
            world.clock);

    private BillingEvent checkout(String id, Instant created) {
        return new BillingEvent(
                id,
                BillingEvent.Kind.CHECKOUT_COMPLETED,
                created,
                Optional.of(aTenant(1)),
                Optional.of(World.anEmail(1)),
                Optional.of("cus_1"),
                Optional.of("sub_1"),
                Optional.of("paid"),
                Optional.empty());
    }

    private BillingEvent cancelled(String id, Instant created) {
        return new BillingEvent(
                id,
                BillingEvent.Kind.SUBSCRIPTION_DELETED,
                created,
                Optional.empty(),
                Optional.empty(),
                Optional.of("cus_1"),
                Optional.of("sub_1"),
                Optional.empty(),
                Optional.of("canceled"));
    }

    @Test
    void givenADeprovisionedTenant_thenItsTombstoneKeepsNoEmailAndIsForgottenAfterItsTimeToLive() {
        world.provision(1);

        deprovision.deprovision(new DeprovisionCommand(aTenant(1)));

        Lease tombstone = world.lease(1);
        assertThat(tombstone.state()).isEqualTo(TenantState.DEPROVISIONED);
        assertThat(tombstone.email()).isEmpty();
        assertThat(tombstone.forgetAt()).contains(world.clock.instant().plus(TTL));
        world.clock.advance(TTL);
        assertThat(world.registry.find(aTenant(1))).isEmpty();
    }

    @Test
    void givenAForgottenTombstone_whenTheSameTenantIsProvisionedAgain_thenItStartsAfreshWithoutRevive() {
        world.provision(1);
        deprovision.deprovision(new DeprovisionCommand(aTenant(1)));
        assertThat(world.provision(1))
                .as("the tombstone refuses while it lasts")
                .isInstanceOf(ProvisionOutcome.Rejected.class);

        world.clock.advance(TTL);

        assertThat(world.provision.provision(new dev.tenantprovisioner.domain.usecase.ProvisionCommand(
                        aTenant(1), Email.of("new-owner@example.com"), false)))
                .isInstanceOf(ProvisionOutcome.Provisioned.class);
        assertThat(world.lease(1).generation()).isEqualTo(2);
    }

    @Test
    void
            givenACancelledSubscriptionWhoseTombstoneIsForgotten_whenAnOldCheckoutIsDeliveredAgain_thenTheCancellationStillStopsIt() {
        Instant t0 = world.clock.instant();
        billing.apply(checkout("evt_checkout", t0));
        billing.apply(cancelled("evt_cancel", t0.plus(Duration.ofDays(1))));
        world.clock.advance(TTL.plusDays(1));
        assertThat(world.registry.find(aTenant(1))).isEmpty();

        BillingOutcome late = billing.apply(checkout("evt_checkout", t0));

        assertThat(late.action()).isEqualTo(BillingOutcome.Action.IGNORED);
        assertThat(late.detail()).isEqualTo("subscription sub_1 was cancelled: a checkout for it provisions nothing");
        assertThat(world.registry.find(aTenant(1))).isEmpty();
        assertThat(world.runtime.live()).isEmpty();
    }
}
