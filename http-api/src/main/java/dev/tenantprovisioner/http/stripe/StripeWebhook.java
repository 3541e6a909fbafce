package dev.tenantprovisioner.http.stripe;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.usecase.DeprovisionCommand;
import dev.tenantprovisioner.domain.usecase.DeprovisionTenant;
import dev.tenantprovisioner.domain.usecase.DescribeTenant;
import dev.tenantprovisioner.domain.usecase.ProvisionCommand;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import dev.tenantprovisioner.domain.usecase.ProvisionTenant;
import dev.tenantprovisioner.domain.usecase.TenantStatus;
import dev.tenantprovisioner.http.ApiRequest;
import dev.tenantprovisioner.http.ApiResponse;
import dev.tenantprovisioner.http.HttpApi;
import dev.tenantprovisioner.http.Json;
import dev.tenantprovisioner.http.Problem;
import dev.tenantprovisioner.http.RequestLog;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The payment trigger. {@code checkout.session.completed} provisions, {@code customer.subscription.deleted}
 * deprovisions, anything else is acknowledged and ignored.
 *
 * <p>Stripe delivers at least once, for days, and out of order. A duplicate is harmless because the use
 * cases are idempotent. Order is recovered from the event's {@code created} time: a cancellation leaves a
 * tombstone, and a checkout older than the tombstone is stale (it is refused, so a cancellation that
 * overtook its checkout still wins), while a checkout newer than the tombstone is a new subscription and
 * revives the tenant. Likewise a cancellation older than a revived tenant's current generation belongs to
 * an earlier subscription and is ignored.
 */
public final class StripeWebhook implements HttpApi.StripeRoute {

    private final StripeSignature signature;
    private final ProvisionTenant provision;
    private final DeprovisionTenant deprovision;
    private final DescribeTenant describe;

    public StripeWebhook(
            StripeSignature signature,
            ProvisionTenant provision,
            DeprovisionTenant deprovision,
            DescribeTenant describe) {
        this.signature = signature;
        this.provision = provision;
        this.deprovision = deprovision;
        this.describe = describe;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestLog log) {
        Optional<String> bad = signature.problemWith(request.header("stripe-signature"), request.body());
        if (bad.isPresent()) {
            log.warn();
            log.put("outcome", "bad_signature");
            return Problem.of(400, "bad-signature", "Bad signature", bad.get());
        }
        Map<String, Object> event;
        try {
            event = Json.parseObject(request.bodyText());
        } catch (Json.MalformedJsonException malformed) {
            return Problem.of(400, "malformed-json", "Malformed JSON", malformed.getMessage());
        }
        String type = text(event, "type").orElse("");
        log.put("stripeEvent", text(event, "id").orElse("?")).put("stripeType", type);
        Instant created = number(event, "created")
                .map(n -> Instant.ofEpochSecond(n.longValue()))
                .orElse(Instant.EPOCH);
        Map<String, Object> object = map(map(event, "data"), "object");
        switch (type) {
            case "checkout.session.completed":
                return checkout(object, created, log);
            case "customer.subscription.deleted":
                return cancellation(object, created, log);
            default:
                return ack(log, "ignored", "event type " + type + " is not handled");
        }
    }

    private ApiResponse checkout(Map<String, Object> session, Instant created, RequestLog log) {
        Optional<TenantId> tenant = tenantOf(session, text(session, "client_reference_id"));
        Optional<Email> email =
                emailOf(text(map(session, "customer_details"), "email").or(() -> text(session, "customer_email")));
        if (tenant.isEmpty() || email.isEmpty()) {
            log.warn();
            // Retrying cannot fix the event, so it is acknowledged; the log says what to fix in the checkout.
            return ack(
                    log,
                    "ignored",
                    "checkout has no valid tenant id (client_reference_id or metadata.tenant_id) "
                            + "or no valid customer email");
        }
        log.put("tenant", tenant.get().value());
        ProvisionOutcome outcome = provision.provision(ProvisionCommand.of(tenant.get(), email.get()));
        if (outcome instanceof ProvisionOutcome.Rejected rejected
                && rejected.reason() == ProvisionOutcome.Reason.DEPROVISIONED) {
            Optional<Instant> retiredAt =
                    describe.describe(tenant.get()).map(s -> s.lease().updatedAt());
            if (retiredAt.isPresent() && created.isAfter(retiredAt.get())) {
                outcome = provision.provision(new ProvisionCommand(tenant.get(), email.get(), true));
            } else {
                return ack(log, "ignored", "tenant " + tenant.get() + " was cancelled after this checkout");
            }
        }
        if (outcome instanceof ProvisionOutcome.NoCapacity noCapacity) {
            log.warn();
            log.put("outcome", "no_capacity");
            // A 503 makes Stripe deliver again later, when capacity may have come back.
            return Problem.of(503, "no-capacity", "No capacity", noCapacity.reason())
                    .withHeader("retry-after", "300");
        }
        if (outcome instanceof ProvisionOutcome.Rejected rejected) {
            log.warn();
            return ack(log, "rejected", rejected.detail());
        }
        return ack(
                log,
                outcome instanceof ProvisionOutcome.Provisioned ? "provisioned" : "already_provisioned",
                "tenant " + tenant.get());
    }

    private ApiResponse cancellation(Map<String, Object> subscription, Instant created, RequestLog log) {
        Optional<TenantId> tenant = tenantOf(subscription, Optional.empty());
        if (tenant.isEmpty()) {
            log.warn();
            return ack(log, "ignored", "subscription has no valid metadata.tenant_id");
        }
        log.put("tenant", tenant.get().value());
        Optional<Lease> current = describe.describe(tenant.get()).map(TenantStatus::lease);
        // Only a revived tenant (generation 2 and up) can have a cancellation from an earlier subscription; a
        // first-generation tenant's lease is stamped when we processed its checkout, which says nothing about Stripe's
        // order.
        if (current.isPresent()
                && current.get().state().holdsPort()
                && current.get().generation() > 1
                && current.get().createdAt().isAfter(created)) {
            return ack(log, "ignored", "cancellation predates the tenant's current subscription");
        }
        deprovision.deprovision(new DeprovisionCommand(tenant.get()));
        return ack(log, "deprovisioned", "tenant " + tenant.get());
    }

    private static Optional<TenantId> tenantOf(Map<String, Object> object, Optional<String> preferred) {
        Map<String, Object> metadata = map(object, "metadata");
        Optional<String> raw = preferred.or(() -> text(metadata, "tenant_id")).or(() -> text(metadata, "userId"));
        try {
            return raw.map(TenantId::of);
        } catch (InvalidValueException bad) {
            return Optional.empty();
        }
    }

    private static Optional<Email> emailOf(Optional<String> raw) {
        try {
            return raw.map(Email::of);
        } catch (InvalidValueException bad) {
            return Optional.empty();
        }
    }

    private static ApiResponse ack(RequestLog log, String action, String detail) {
        log.put("outcome", action);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("received", true);
        body.put("action", action);
        body.put("detail", detail);
        return ApiResponse.json(200, body);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    private static Optional<String> text(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
    }

    private static Optional<BigDecimal> number(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value instanceof BigDecimal n ? Optional.of(n) : Optional.empty();
    }
}
