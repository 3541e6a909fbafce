package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.Billing;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.BillingRecords;
import dev.tenantprovisioner.domain.spi.LeaseConflictException;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.SubscriptionRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The billing rules: what a payment provider's event does to a tenant. A checkout provisions only once it is paid;
 * a failed invoice or a subscription gone {@code past_due} or {@code unpaid} suspends; a paid invoice resumes; a
 * deleted subscription deprovisions.
 *
 * <p>Events are delivered at least once, for days, and out of order, so:
 * <ul>
 *   <li>an event applied before (by id) is a no-op for {@link #REMEMBER_EVENTS};
 *   <li>events are ordered by the provider's own {@code created} time, never by this system's clock: the lease keeps
 *       the time of the last event applied to the tenant, and an older one changes nothing;
 *   <li>later events find the tenant by the subscription they name (the provider does not copy a checkout's tenant
 *       reference onto the subscription), and an event about a subscription the tenant no longer runs on (it
 *       resubscribed) never touches it;
 *   <li>a cancellation that arrives before its checkout is remembered, and the checkout then provisions nothing.
 * </ul>
 * Events that cannot apply (an unknown subscription, a deprovisioned tenant, a type not handled) are answered
 * {@code ignored} with the reason and change nothing.
 */
public final class ApplyBillingEvent {

    /** How long applied event ids are remembered (Stripe retries a delivery for up to three days). */
    public static final Duration REMEMBER_EVENTS = Duration.ofDays(30);

    private static final Set<String> PAID = Set.of("paid", "no_payment_required");
    private static final Set<String> DELINQUENT = Set.of("past_due", "unpaid");
    private static final int MAX_CONFLICTS = 16;

    private final ProvisionTenant provision;
    private final SuspendTenant suspend;
    private final ResumeTenant resume;
    private final DeprovisionTenant deprovision;
    private final PortRegistry registry;
    private final BillingRecords records;
    private final Clock clock;

    public ApplyBillingEvent(
            ProvisionTenant provision,
            SuspendTenant suspend,
            ResumeTenant resume,
            DeprovisionTenant deprovision,
            PortRegistry registry,
            BillingRecords records,
            Clock clock) {
        this.provision = provision;
        this.suspend = suspend;
        this.resume = resume;
        this.deprovision = deprovision;
        this.registry = registry;
        this.records = records;
        this.clock = clock;
    }

    public BillingOutcome apply(BillingEvent event) {
        if (records.processed(event.id())) {
            return BillingOutcome.ignored("event " + event.id() + " was applied already");
        }
        BillingOutcome outcome = decide(event);
        if (!outcome.retryLater()) {
            records.markProcessed(event.id(), clock.instant().plus(REMEMBER_EVENTS));
        }
        return outcome;
    }

    private BillingOutcome decide(BillingEvent event) {
        switch (event.kind()) {
            case CHECKOUT_COMPLETED:
            case CHECKOUT_ASYNC_PAYMENT_SUCCEEDED:
                return checkout(event);
            case CHECKOUT_ASYNC_PAYMENT_FAILED:
                return BillingOutcome.ignored("the checkout's payment failed: nothing is provisioned");
            case INVOICE_PAYMENT_FAILED:
                return onSubscription(event, lease -> suspended(lease, "invoice payment failed"));
            case SUBSCRIPTION_UPDATED:
                String status = event.subscriptionStatus().orElse("unknown");
                if (!DELINQUENT.contains(status)) {
                    return BillingOutcome.ignored("subscription is " + status + ": nothing to do");
                }
                return onSubscription(event, lease -> suspended(lease, "subscription " + status));
            case INVOICE_PAID:
                return onSubscription(event, this::resumed);
            case SUBSCRIPTION_DELETED:
                return cancellation(event);
            default:
                return BillingOutcome.ignored("event type not handled");
        }
    }

    private BillingOutcome checkout(BillingEvent event) {
        if (event.tenant().isEmpty() || event.email().isEmpty()) {
            return BillingOutcome.ignored(
                    "checkout has no valid tenant id (client_reference_id or metadata.tenant_id) or no valid customer"
                            + " email");
        }
        String payment = event.paymentStatus().orElse("unknown");
        if (!PAID.contains(payment)) {
            return BillingOutcome.ignored("checkout payment is " + payment
                    + ": provisioning waits for checkout.session.async_payment_succeeded");
        }
        TenantId tenant = event.tenant().get();
        Email email = event.email().get();
        Optional<SubscriptionRecord> known = event.subscription().flatMap(records::subscription);
        if (known.flatMap(SubscriptionRecord::cancelledAt).isPresent()) {
            return BillingOutcome.ignored("subscription " + event.subscription().get()
                    + " was cancelled: a checkout for it provisions nothing");
        }
        Optional<Lease> before = registry.find(tenant);
        if (before.flatMap(Lease::billing)
                .map(b -> event.created().isBefore(b.lastEventAt()))
                .orElse(false)) {
            return BillingOutcome.ignored("older than the last billing event applied to tenant " + tenant);
        }
        Optional<Lease> tombstone = before.filter(lease -> lease.state() == TenantState.DEPROVISIONED);
        boolean revive = tombstone.isPresent();
        if (revive && !event.created().isAfter(retiredAt(tombstone.get()))) {
            return BillingOutcome.ignored("tenant " + tenant + " was deprovisioned after this checkout");
        }
        ProvisionOutcome outcome = provision.provision(new ProvisionCommand(tenant, email, revive));
        if (outcome instanceof ProvisionOutcome.NoCapacity noCapacity) {
            return new BillingOutcome(BillingOutcome.Action.NO_CAPACITY, noCapacity.reason(), Optional.empty());
        }
        if (outcome instanceof ProvisionOutcome.LimitReached limit) {
            // Delivered again later, when a tenant may have gone or a provision finished.
            return new BillingOutcome(BillingOutcome.Action.LIMIT_REACHED, limit.detail(), Optional.empty());
        }
        if (outcome instanceof ProvisionOutcome.Rejected rejected) {
            return new BillingOutcome(BillingOutcome.Action.REJECTED, rejected.detail(), Optional.empty());
        }
        event.subscription().ifPresent(subscription -> records.save(SubscriptionRecord.paying(subscription, tenant)));
        Billing billing = new Billing(event.customer(), event.subscription(), event.created());
        recordBilling(tenant, lease -> billing);
        if (outcome instanceof ProvisionOutcome.Provisioned provisioned) {
            return new BillingOutcome(
                    BillingOutcome.Action.PROVISIONED, "tenant " + tenant, Optional.of(provisioned.status()));
        }
        return new BillingOutcome(
                BillingOutcome.Action.ALREADY_PROVISIONED,
                "tenant " + tenant,
                Optional.of(((ProvisionOutcome.AlreadyProvisioned) outcome).status()));
    }

    /**
     * When a tombstone was made, by the provider's clock where a billing event made it (the cancellation's time), by
     * this system's otherwise (a deprovision through the API).
     */
    private static Instant retiredAt(Lease tombstone) {
        return tombstone.billing().map(Billing::lastEventAt).orElse(tombstone.updatedAt());
    }

    private interface Action {
        BillingOutcome apply(Lease lease);
    }

    /** An event that names a subscription: find its tenant, check it is that tenant's current one, and act. */
    private BillingOutcome onSubscription(BillingEvent event, Action action) {
        Optional<Lease> found = tenantOf(event);
        if (found.isEmpty()) {
            return BillingOutcome.ignored(unknown(event));
        }
        Lease lease = found.get();
        Optional<BillingOutcome> stale = stale(event, lease);
        if (stale.isPresent()) {
            return stale.get();
        }
        if (lease.state() == TenantState.DEPROVISIONED) {
            return BillingOutcome.ignored("tenant " + lease.tenant() + " is deprovisioned");
        }
        BillingOutcome outcome = action.apply(lease);
        if (!outcome.retryLater() && outcome.action() != BillingOutcome.Action.IGNORED) {
            recordBilling(
                    lease.tenant(), current -> current.billing().orElseThrow().at(event.created()));
        }
        return outcome;
    }

    private BillingOutcome suspended(Lease lease, String reason) {
        ChangeOutcome outcome = suspend.suspend(lease.tenant(), reason);
        if (outcome instanceof ChangeOutcome.Changed changed) {
            return new BillingOutcome(
                    changed.already() ? BillingOutcome.Action.ALREADY_SUSPENDED : BillingOutcome.Action.SUSPENDED,
                    reason,
                    outcome.tenant());
        }
        return BillingOutcome.ignored(describe(outcome));
    }

    private BillingOutcome resumed(Lease lease) {
        ChangeOutcome outcome = resume.resume(lease.tenant());
        if (outcome instanceof ChangeOutcome.Changed changed) {
            return new BillingOutcome(
                    changed.already() ? BillingOutcome.Action.ALREADY_RUNNING : BillingOutcome.Action.RESUMED,
                    "invoice paid",
                    outcome.tenant());
        }
        if (outcome instanceof ChangeOutcome.Busy busy) {
            return new BillingOutcome(BillingOutcome.Action.BUSY, busy.detail(), outcome.tenant());
        }
        return BillingOutcome.ignored(describe(outcome));
    }

    private BillingOutcome cancellation(BillingEvent event) {
        if (event.subscription().isEmpty()) {
            return BillingOutcome.ignored("the event names no subscription");
        }
        String subscription = event.subscription().get();
        Optional<SubscriptionRecord> known = records.subscription(subscription);
        if (known.flatMap(SubscriptionRecord::tenant).isEmpty()) {
            // Its checkout has not arrived (or never will): remember, so that checkout provisions nothing.
            records.save(new SubscriptionRecord(subscription, Optional.empty(), Optional.of(event.created())));
            return BillingOutcome.ignored(
                    "subscription " + subscription + " is unknown; its cancellation is remembered, so a checkout"
                            + " that arrives later provisions nothing");
        }
        records.save(known.get().cancelled(event.created()));
        return onSubscription(event, lease -> {
            // The cancellation's time goes onto the tombstone, where a later checkout is compared with it.
            recordBilling(
                    lease.tenant(), current -> current.billing().orElseThrow().at(event.created()));
            DeprovisionOutcome outcome = deprovision.deprovision(new DeprovisionCommand(lease.tenant()));
            return new BillingOutcome(
                    outcome.already()
                            ? BillingOutcome.Action.ALREADY_DEPROVISIONED
                            : BillingOutcome.Action.DEPROVISIONED,
                    "subscription " + subscription + " deleted",
                    Optional.of(outcome.status()));
        });
    }

    /** The tenant the event's subscription pays for. */
    private Optional<Lease> tenantOf(BillingEvent event) {
        return event.subscription()
                .flatMap(records::subscription)
                .flatMap(SubscriptionRecord::tenant)
                .flatMap(registry::find);
    }

    private static String unknown(BillingEvent event) {
        return event.subscription()
                .map(subscription -> "subscription " + subscription + " pays for no tenant known here")
                .orElse("the event names no subscription");
    }

    /** An event about another subscription than the tenant's current one, or older than the last one applied. */
    private static Optional<BillingOutcome> stale(BillingEvent event, Lease lease) {
        Optional<Billing> billing = lease.billing();
        if (billing.isEmpty() || !billing.get().subscription().equals(event.subscription())) {
            return Optional.of(BillingOutcome.ignored("the event is about subscription "
                    + event.subscription().orElse("(none)") + ", and tenant " + lease.tenant() + " runs on "
                    + billing.flatMap(Billing::subscription).orElse("no subscription") + " now"));
        }
        if (event.created().isBefore(billing.get().lastEventAt())) {
            return Optional.of(
                    BillingOutcome.ignored("older than the last billing event applied to tenant " + lease.tenant()));
        }
        return Optional.empty();
    }

    private interface BillingChange {
        Billing of(Lease lease);
    }

    /** Writes the tenant's billing (while its lease holds a port), re-reading on a conflict. */
    private void recordBilling(TenantId tenant, BillingChange change) {
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            Optional<Lease> lease = registry.find(tenant);
            if (lease.isEmpty() || !lease.get().state().holdsPort()) {
                return;
            }
            try {
                registry.save(lease.get().withBilling(change.of(lease.get())));
                return;
            } catch (LeaseConflictException changedMeanwhile) {
                // Read again and write onto what is there now.
            }
        }
        throw new IllegalStateException("the lease of " + tenant + " kept changing while its billing was recorded");
    }

    /** Why a suspend or resume changed nothing: refused from the tenant's state, or the tenant is gone. */
    private static String describe(ChangeOutcome outcome) {
        return outcome instanceof ChangeOutcome.Refused refused ? refused.detail() : "the tenant was deleted meanwhile";
    }
}
