package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static dev.tenantprovisioner.adapters.inmemory.usecase.World.anEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.StopReason;
import dev.tenantprovisioner.domain.usecase.BillingEvent;
import dev.tenantprovisioner.domain.usecase.BillingEvent.Kind;
import dev.tenantprovisioner.domain.usecase.BillingOutcome;
import dev.tenantprovisioner.domain.usecase.BillingOutcome.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The billing rules, event by event, on in-memory adapters. */
class ApplyBillingEventTest {

    private static final Instant T0 = Instant.parse("2026-11-29T09:00:00Z");
    private final AtomicInteger ids = new AtomicInteger();

    private BillingEvent checkout(Kind kind, int tenant, String subscription, String paymentStatus, Instant at) {
        return new BillingEvent(
                "evt_" + ids.incrementAndGet(),
                kind,
                at,
                Optional.of(aTenant(tenant)),
                Optional.of(anEmail(tenant)),
                Optional.of("cus_" + tenant),
                Optional.ofNullable(subscription),
                Optional.of(paymentStatus),
                Optional.empty());
    }

    private BillingEvent paidCheckout(int tenant, String subscription, Instant at) {
        return checkout(Kind.CHECKOUT_COMPLETED, tenant, subscription, "paid", at);
    }

    private BillingEvent about(Kind kind, String subscription, Instant at, String status) {
        return new BillingEvent(
                "evt_" + ids.incrementAndGet(),
                kind,
                at,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(subscription),
                Optional.empty(),
                Optional.ofNullable(status));
    }

    @Test
    void givenAnUnpaidCheckout_whenApplied_thenIgnoredAndNothingIsAllocated() {
        World world = new World();

        BillingOutcome outcome = world.billing.apply(checkout(Kind.CHECKOUT_COMPLETED, 1, "sub_1", "unpaid", T0));

        assertThat(outcome.action()).isEqualTo(Action.IGNORED);
        assertThat(outcome.detail()).contains("unpaid").contains("async_payment_succeeded");
        assertThat(world.registry.find(aTenant(1))).isEmpty();
    }

    @Test
    void givenAsyncPayments_whenTheySucceedOrFail_thenOnlySuccessProvisions() {
        World world = new World();
        world.billing.apply(checkout(Kind.CHECKOUT_COMPLETED, 1, "sub_1", "unpaid", T0));
        world.billing.apply(checkout(Kind.CHECKOUT_COMPLETED, 2, "sub_2", "unpaid", T0));

        BillingOutcome failed = world.billing.apply(
                checkout(Kind.CHECKOUT_ASYNC_PAYMENT_FAILED, 1, "sub_1", "unpaid", T0.plusSeconds(60)));
        BillingOutcome succeeded = world.billing.apply(
                checkout(Kind.CHECKOUT_ASYNC_PAYMENT_SUCCEEDED, 2, "sub_2", "paid", T0.plusSeconds(60)));

        assertThat(failed.action()).isEqualTo(Action.IGNORED);
        assertThat(world.registry.find(aTenant(1))).isEmpty();
        assertThat(succeeded.action()).isEqualTo(Action.PROVISIONED);
        Lease lease = world.lease(2);
        assertThat(lease.billing().orElseThrow().subscription()).contains("sub_2");
        assertThat(lease.billing().orElseThrow().customer()).contains("cus_2");
    }

    @Test
    void givenPastDue_whenSuspendedThenPaid_thenResumedOnTheSamePortAndLinkWithItsData() {
        World world = World.withDatabases(r -> r, r -> r, d -> d);
        world.billing.apply(paidCheckout(1, "sub_1", T0));
        Lease running = world.lease(1);
        String link = world.describe(1).accessUrl().orElseThrow().toString();
        String password = world.databases.access(aTenant(1), 1).password();

        BillingOutcome pastDue = world.billing.apply(
                about(Kind.SUBSCRIPTION_UPDATED, "sub_1", T0.plus(Duration.ofDays(30)), "past_due"));
        assertThat(pastDue.action()).isEqualTo(Action.SUSPENDED);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.SUSPENDED);

        BillingOutcome paid =
                world.billing.apply(about(Kind.INVOICE_PAID, "sub_1", T0.plus(Duration.ofDays(31)), null));

        assertThat(paid.action()).isEqualTo(Action.RESUMED);
        Lease resumed = world.lease(1);
        assertThat(resumed.state()).isEqualTo(TenantState.RUNNING);
        assertThat(resumed.port()).isEqualTo(running.port());
        assertThat(world.describe(1).accessUrl().orElseThrow().toString()).isEqualTo(link);
        assertThat(world.databases.access(aTenant(1), resumed.generation()).password())
                .as("the same database and password: the data is the tenant's still")
                .isEqualTo(password);
        assertThat(world.mailer.accepted()).hasSize(1);
    }

    @Test
    void givenAFailedInvoice_whenApplied_thenSuspendedAndAnOlderPaidInvoiceDeliveredLateChangesNothing() {
        World world = new World();
        world.billing.apply(paidCheckout(1, "sub_1", T0));

        world.billing.apply(about(Kind.INVOICE_PAYMENT_FAILED, "sub_1", T0.plus(Duration.ofDays(30)), null));
        BillingOutcome late =
                world.billing.apply(about(Kind.INVOICE_PAID, "sub_1", T0.plus(Duration.ofDays(29)), null));

        assertThat(late.action()).isEqualTo(Action.IGNORED);
        assertThat(late.detail()).contains("older than the last billing event");
        assertThat(world.lease(1).state()).isEqualTo(TenantState.SUSPENDED);
    }

    @Test
    void givenAResubscribedTenant_whenTheOldSubscriptionsCancellationArrives_thenTheTenantKeepsRunning() {
        World world = new World();
        world.billing.apply(paidCheckout(1, "sub_old", T0));
        BillingOutcome cancelled = world.billing.apply(
                about(Kind.SUBSCRIPTION_DELETED, "sub_old", T0.plus(Duration.ofDays(1)), "canceled"));
        assertThat(cancelled.action()).isEqualTo(Action.DEPROVISIONED);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.DEPROVISIONED);
        world.billing.apply(paidCheckout(1, "sub_new", T0.plus(Duration.ofDays(2))));
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);

        BillingOutcome redeliveredStyle = world.billing.apply(
                about(Kind.SUBSCRIPTION_DELETED, "sub_old", T0.plus(Duration.ofDays(3)), "canceled"));
        BillingOutcome oldInvoiceFailure =
                world.billing.apply(about(Kind.INVOICE_PAYMENT_FAILED, "sub_old", T0.plus(Duration.ofDays(4)), null));

        assertThat(redeliveredStyle.action()).isEqualTo(Action.IGNORED);
        assertThat(redeliveredStyle.detail()).contains("sub_old").contains("sub_new");
        assertThat(oldInvoiceFailure.action()).isEqualTo(Action.IGNORED);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.lease(1).generation()).isEqualTo(2);
    }

    @Test
    void givenACancellationBeforeItsCheckout_whenTheCheckoutArrives_thenNothingIsProvisioned() {
        World world = new World();

        BillingOutcome cancellation =
                world.billing.apply(about(Kind.SUBSCRIPTION_DELETED, "sub_1", T0.plusSeconds(5), "canceled"));
        BillingOutcome checkout = world.billing.apply(paidCheckout(1, "sub_1", T0));

        assertThat(cancellation.action()).isEqualTo(Action.IGNORED);
        assertThat(checkout.action()).isEqualTo(Action.IGNORED);
        assertThat(checkout.detail()).contains("sub_1 was cancelled");
        assertThat(world.registry.find(aTenant(1))).isEmpty();
    }

    @Test
    void givenAnAppliedEvent_whenRedeliveredADayLater_thenItIsANoOp() {
        World world = new World();
        BillingEvent failed = about(Kind.INVOICE_PAYMENT_FAILED, "sub_1", T0.plus(Duration.ofDays(30)), null);
        world.billing.apply(paidCheckout(1, "sub_1", T0));
        world.billing.apply(failed);
        world.billing.apply(about(Kind.INVOICE_PAID, "sub_1", T0.plus(Duration.ofDays(31)), null));
        long version = world.lease(1).version();

        world.clock.advance(Duration.ofDays(1));
        BillingOutcome again = world.billing.apply(failed);

        assertThat(again.action()).isEqualTo(Action.IGNORED);
        assertThat(again.detail()).contains("applied already");
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.lease(1).version()).isEqualTo(version);
    }

    @Test
    void givenEventsThatCannotApply_whenApplied_thenIgnoredWithTheReasonAndNothingChanges() {
        World world = new World();
        world.billing.apply(paidCheckout(1, "sub_1", T0));
        world.billing.apply(about(Kind.SUBSCRIPTION_DELETED, "sub_1", T0.plusSeconds(10), "canceled"));
        long version = world.lease(1).version();

        BillingOutcome unknown = world.billing.apply(about(Kind.INVOICE_PAID, "sub_nobody", T0.plusSeconds(20), null));
        BillingOutcome deprovisioned = world.billing.apply(about(Kind.INVOICE_PAID, "sub_1", T0.plusSeconds(30), null));
        BillingOutcome other = world.billing.apply(about(Kind.OTHER, "sub_1", T0.plusSeconds(40), null));
        BillingOutcome active =
                world.billing.apply(about(Kind.SUBSCRIPTION_UPDATED, "sub_1", T0.plusSeconds(50), "active"));

        assertThat(unknown.action()).isEqualTo(Action.IGNORED);
        assertThat(unknown.detail()).contains("sub_nobody");
        assertThat(deprovisioned.action()).isEqualTo(Action.IGNORED);
        assertThat(deprovisioned.detail()).contains("deprovisioned");
        assertThat(other.action()).isEqualTo(Action.IGNORED);
        assertThat(other.detail()).contains("not handled");
        assertThat(active.action()).isEqualTo(Action.IGNORED);
        assertThat(world.lease(1).version()).isEqualTo(version);
        assertThat(world.runtime.live()).isEmpty();
    }

    @Test
    void givenACheckoutOlderThanTheCancellationOfItsTenant_whenApplied_thenTheCancellationWins() {
        World world = new World();
        world.billing.apply(paidCheckout(1, "sub_1", T0));
        world.billing.apply(about(Kind.SUBSCRIPTION_DELETED, "sub_1", T0.plus(Duration.ofHours(2)), "canceled"));

        BillingOutcome stale = world.billing.apply(paidCheckout(1, "sub_2", T0.plus(Duration.ofHours(1))));

        assertThat(stale.action()).isEqualTo(Action.IGNORED);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.DEPROVISIONED);
    }

    @Test
    void givenNoCapacity_whenACheckoutIsApplied_thenRetryLaterAndTheEventIsNotRememberedAsApplied() {
        World world = new World(dev.tenantprovisioner.domain.model.PortPool.range(3000, 3000));
        world.provision(9);
        BillingEvent checkout = paidCheckout(1, "sub_1", T0);

        BillingOutcome full = world.billing.apply(checkout);
        world.deprovision(9);
        world.clock.advance(Duration.ofMinutes(20));
        BillingOutcome later = world.billing.apply(checkout);

        assertThat(full.retryLater()).isTrue();
        assertThat(later.action()).isEqualTo(Action.PROVISIONED);
    }

    @Test
    void givenACancelledSubscription_whenALaterCheckoutEventForItArrives_thenTheTenantStaysDeprovisioned() {
        World world = new World();
        world.billing.apply(paidCheckout(1, "sub_1", T0));
        world.billing.apply(about(Kind.SUBSCRIPTION_DELETED, "sub_1", T0.plus(Duration.ofHours(1)), "canceled"));

        BillingOutcome late = world.billing.apply(
                checkout(Kind.CHECKOUT_ASYNC_PAYMENT_SUCCEEDED, 1, "sub_1", "paid", T0.plus(Duration.ofHours(2))));

        assertThat(late.action()).isEqualTo(Action.IGNORED);
        assertThat(late.detail()).contains("sub_1 was cancelled");
        assertThat(world.lease(1).state()).isEqualTo(TenantState.DEPROVISIONED);
        assertThat(world.billingRecords.subscription("sub_1").orElseThrow().cancelledAt())
                .contains(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void givenEventsMissingWhatTheyNeed_whenApplied_thenIgnoredWithTheReason() {
        World world = new World();
        BillingEvent noTenant = new BillingEvent(
                "evt_no_tenant",
                Kind.CHECKOUT_COMPLETED,
                T0,
                Optional.empty(),
                Optional.of(anEmail(1)),
                Optional.of("cus_1"),
                Optional.of("sub_1"),
                Optional.of("paid"),
                Optional.empty());
        BillingEvent noSubscription = new BillingEvent(
                "evt_no_subscription",
                Kind.SUBSCRIPTION_DELETED,
                T0,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of("canceled"));

        BillingOutcome checkout = world.billing.apply(noTenant);
        BillingOutcome cancellation = world.billing.apply(noSubscription);

        assertThat(checkout.action()).isEqualTo(Action.IGNORED);
        assertThat(checkout.detail()).contains("no valid tenant id");
        assertThat(cancellation.action()).isEqualTo(Action.IGNORED);
        assertThat(cancellation.detail()).isEqualTo("the event names no subscription");
        assertThat(world.registry.find(aTenant(1))).isEmpty();
    }

    @Test
    void givenATenantDeprovisionedThroughTheApi_whenCheckoutsArrive_thenAnOlderOneIsIgnoredAndANewerOneRevivesIt() {
        World world = new World();
        world.clock.set(T0);
        world.provision(1);
        world.deprovision(1);

        BillingOutcome older = world.billing.apply(paidCheckout(1, "sub_1", T0.minusSeconds(1)));
        assertThat(older.action()).isEqualTo(Action.IGNORED);
        assertThat(older.detail()).contains("deprovisioned after this checkout");
        assertThat(world.lease(1).state()).isEqualTo(TenantState.DEPROVISIONED);

        BillingOutcome newer = world.billing.apply(paidCheckout(1, "sub_2", T0.plusSeconds(1)));
        assertThat(newer.action()).isEqualTo(Action.PROVISIONED);
        assertThat(newer.tenant().orElseThrow().lease().generation()).isEqualTo(2);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.lease(1).billing().orElseThrow().subscription()).contains("sub_2");
    }

    @Test
    void givenATenantProvisionedThroughTheApi_whenAnEarlierCheckoutArrives_thenAlreadyProvisionedAndItsBillingKept() {
        World world = new World();
        world.clock.set(T0);
        world.provision(1);

        BillingOutcome outcome = world.billing.apply(paidCheckout(1, "sub_1", T0.minusSeconds(60)));

        assertThat(outcome.action()).isEqualTo(Action.ALREADY_PROVISIONED);
        assertThat(outcome.tenant().orElseThrow().lease().state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.lease(1).billing().orElseThrow().subscription()).contains("sub_1");
        assertThat(world.lease(1).billing().orElseThrow().lastEventAt()).isEqualTo(T0.minusSeconds(60));
    }

    @Test
    void givenACheckoutForAnotherEmail_whenApplied_thenRejectedAndTheTenantUntouched() {
        World world = new World();
        world.provision(1);
        long version = world.lease(1).version();
        BillingEvent stranger = new BillingEvent(
                "evt_stranger",
                Kind.CHECKOUT_COMPLETED,
                T0,
                Optional.of(aTenant(1)),
                Optional.of(Email.of("stranger@example.com")),
                Optional.of("cus_x"),
                Optional.of("sub_x"),
                Optional.of("paid"),
                Optional.empty());

        BillingOutcome outcome = world.billing.apply(stranger);

        assertThat(outcome.action()).isEqualTo(Action.REJECTED);
        assertThat(outcome.detail()).contains("another email");
        assertThat(world.lease(1).version()).isEqualTo(version);
        assertThat(world.lease(1).billing()).isEmpty();
    }

    @Test
    void givenAProvisionedTenant_whenAnotherPaidCheckoutEventArrives_thenAlreadyProvisionedWithItsStatus() {
        World world = new World();
        world.billing.apply(paidCheckout(1, "sub_1", T0));

        BillingOutcome again = world.billing.apply(
                checkout(Kind.CHECKOUT_ASYNC_PAYMENT_SUCCEEDED, 1, "sub_1", "paid", T0.plusSeconds(5)));

        assertThat(again.action()).isEqualTo(Action.ALREADY_PROVISIONED);
        assertThat(again.tenant().orElseThrow().lease().state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.runtime.live()).hasSize(1);
        assertThat(world.mailer.accepted()).hasSize(1);
    }

    @Test
    void givenASuspendedTenant_whenAnOlderCheckoutEventArrivesLate_thenItStaysSuspended() {
        World world = new World();
        world.billing.apply(paidCheckout(1, "sub_1", T0));
        world.billing.apply(about(Kind.INVOICE_PAYMENT_FAILED, "sub_1", T0.plus(Duration.ofDays(30)), null));

        BillingOutcome late = world.billing.apply(
                checkout(Kind.CHECKOUT_ASYNC_PAYMENT_SUCCEEDED, 1, "sub_1", "paid", T0.plus(Duration.ofDays(1))));

        assertThat(late.action()).isEqualTo(Action.IGNORED);
        assertThat(late.detail()).contains("older than the last billing event");
        assertThat(world.lease(1).state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(world.runtime.live()).isEmpty();
    }

    @Test
    void givenAFailedTenant_whenInvoicesFailOrArePaid_thenIgnoredWithTheRefusal() {
        World world = new World();
        world.billing.apply(paidCheckout(1, "sub_1", T0));
        world.runtime.stop(world.lease(1).task().orElseThrow(), aTenant(1), StopReason.ABANDONED);
        world.registry.release(world.lease(1), "test: its start failed", false);

        BillingOutcome failed =
                world.billing.apply(about(Kind.INVOICE_PAYMENT_FAILED, "sub_1", T0.plus(Duration.ofDays(30)), null));
        BillingOutcome paid =
                world.billing.apply(about(Kind.INVOICE_PAID, "sub_1", T0.plus(Duration.ofDays(31)), null));

        assertThat(failed.action()).isEqualTo(Action.IGNORED);
        assertThat(failed.detail()).contains("is failed").contains("no instance to suspend");
        assertThat(paid.action()).isEqualTo(Action.IGNORED);
        assertThat(paid.detail()).contains("is failed").contains("nothing to resume");
        assertThat(world.lease(1).state()).isEqualTo(TenantState.FAILED);
    }

    @Test
    void givenATenantDeletedWhileAnInvoiceResumesIt_whenApplied_thenIgnoredSayingSo() {
        AtomicReference<Decorators.Vanishing> registry = new AtomicReference<>();
        World world = World.withRegistry(r -> {
            registry.set(new Decorators.Vanishing(r));
            return registry.get();
        });
        world.billing.apply(paidCheckout(1, "sub_1", T0));
        world.billing.apply(about(Kind.INVOICE_PAYMENT_FAILED, "sub_1", T0.plus(Duration.ofDays(30)), null));
        registry.get().armed.set(true);

        BillingOutcome paid =
                world.billing.apply(about(Kind.INVOICE_PAID, "sub_1", T0.plus(Duration.ofDays(31)), null));

        assertThat(paid.action()).isEqualTo(Action.IGNORED);
        assertThat(paid.detail()).isEqualTo("the tenant was deleted meanwhile");
        assertThat(world.runtime.live()).isEmpty();
    }

    @Test
    void givenASuspendedContainerStillStopping_whenAnInvoiceIsPaid_thenBusyRetryLaterAndTheRedeliveryResumes() {
        AtomicBoolean slowStops = new AtomicBoolean(true);
        World world = new World(
                dev.tenantprovisioner.domain.model.PortPool.range(3000, 3099),
                dev.tenantprovisioner.domain.usecase.ProvisioningPolicy.defaults(),
                r -> new Decorators.Runtime(r) {
                    @Override
                    public void stop(TaskId task, TenantId tenant, StopReason reason) {
                        if (!slowStops.get()) {
                            super.stop(task, tenant, reason);
                        }
                    }
                });
        world.billing.apply(paidCheckout(1, "sub_1", T0));
        TaskId first = world.lease(1).task().orElseThrow();
        world.billing.apply(about(Kind.INVOICE_PAYMENT_FAILED, "sub_1", T0.plus(Duration.ofDays(30)), null));
        BillingEvent paid = about(Kind.INVOICE_PAID, "sub_1", T0.plus(Duration.ofDays(31)), null);

        BillingOutcome busy = world.billing.apply(paid);
        slowStops.set(false);
        world.runtime.stop(first, aTenant(1), StopReason.SUSPEND);
        BillingOutcome redelivered = world.billing.apply(paid);

        assertThat(busy.action()).isEqualTo(Action.BUSY);
        assertThat(busy.retryLater()).isTrue();
        assertThat(busy.tenant().orElseThrow().lease().state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(redelivered.action()).isEqualTo(Action.RESUMED);
        assertThat(world.lease(1).state()).isEqualTo(TenantState.RUNNING);
        assertThat(world.runtime.live()).hasSize(1);
    }

    @Test
    void givenRegistryThatAlwaysLosesTheCompareAndSet_whenBillingIsRecorded_thenItGivesUpAfterSixteenTries() {
        AtomicReference<Decorators.Contested> registry = new AtomicReference<>();
        World world = World.withRegistry(r -> {
            registry.set(new Decorators.Contested(r, lease -> lease.billing().isPresent()));
            return registry.get();
        });

        assertThatThrownBy(() -> world.billing.apply(paidCheckout(1, "sub_1", T0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the lease of tenant-1 kept changing while its billing was recorded");
        assertThat(registry.get().lostSaves).hasValue(16);
        assertThat(world.billingRecords.processed("evt_1"))
                .as("an event that failed half way is delivered again")
                .isFalse();
    }

    @Test
    void givenActions_thenTheApiNamesThemInSnakeCase() {
        assertThat(Action.ALREADY_PROVISIONED.label()).isEqualTo("already_provisioned");
        assertThat(Action.NO_CAPACITY.label()).isEqualTo("no_capacity");
    }
}
