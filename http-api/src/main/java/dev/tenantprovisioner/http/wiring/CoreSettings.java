package dev.tenantprovisioner.http.wiring;

import dev.tenantprovisioner.domain.model.AccessUrlFormat;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.usecase.NotificationPolicy;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.http.HttpApi;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The settings every deployment has, whatever adapters it runs on. */
public record CoreSettings(
        List<String> apiKeys,
        List<String> stripeSecrets,
        Duration stripeTolerance,
        PortPool portPool,
        ProvisioningPolicy policy,
        ResumeStalledTenants.Sweep sweep,
        int listLimit) {

    /** The same settings for a process that leaves the welcome email to others (see {@link ProvisioningPolicy}). */
    public CoreSettings withNotificationsElsewhere() {
        return new CoreSettings(
                apiKeys,
                stripeSecrets,
                stripeTolerance,
                portPool,
                policy.withNotificationsElsewhere(),
                sweep,
                listLimit);
    }

    /** The sweep looks at leases idle this long, at most this many a run. */
    public static final ResumeStalledTenants.Sweep DEFAULT_SWEEP =
            new ResumeStalledTenants.Sweep(Duration.ofMinutes(5), 1000);

    public static final int MIN_API_KEY_LENGTH = 16;

    /** The settings of a function that serves the HTTP API, which needs API keys. */
    public static CoreSettings from(Env env) {
        return from(env, true);
    }

    /** {@code servesApi}: whether this function answers the HTTP API (only then are API keys required). */
    public static CoreSettings from(Env env, boolean servesApi) {
        List<String> apiKeys = env.list("API_KEYS");
        if (apiKeys.isEmpty() && servesApi) {
            env.problem("API_KEYS is required (comma-separated keys that callers send in the x-api-key header)");
        }
        if (apiKeys.stream().anyMatch(k -> k.length() < MIN_API_KEY_LENGTH)) {
            env.problem("API_KEYS: every key must have at least " + MIN_API_KEY_LENGTH + " characters");
        }
        List<String> stripeSecrets = env.list("STRIPE_WEBHOOK_SECRETS");
        int tolerance = env.integer("STRIPE_TOLERANCE_SECONDS", 300, 1, 86_400);
        int first = env.integer("PORT_RANGE_FIRST", PortPool.DEFAULT_FIRST, 1, 65535);
        int last = env.integer("PORT_RANGE_LAST", PortPool.DEFAULT_LAST, 1, 65535);
        PortPool pool = PortPool.defaults();
        if (first > last) {
            env.problem("PORT_RANGE_FIRST (" + first + ") must not be above PORT_RANGE_LAST (" + last + ")");
        } else {
            pool = PortPool.range(first, last);
        }
        NotificationPolicy notifyWhen =
                env.parsed("NOTIFY_WHEN", CoreSettings::notifyWhen).orElse(NotificationPolicy.WHEN_RUNNING);
        Optional<Ipv4Address> publicHost = env.parsed("PUBLIC_HOST", Ipv4Address::of);
        if (env.optional("ACCESS_URL_STYLE")
                .filter(style -> !style.equalsIgnoreCase("dashed"))
                .isPresent()) {
            env.problem("ACCESS_URL_STYLE is no longer supported: links always write the address with dashes "
                    + "(user-1.54-123-45-6.sslip.io), the one form wildcard DNS cannot misread; remove the variable");
        }
        AccessUrlFormat format =
                env.parsed("ACCESS_URL_DOMAIN", AccessUrlFormat::new).orElse(AccessUrlFormat.sslip());
        Duration startDeadline = env.duration(
                "TASK_START_DEADLINE",
                ProvisioningPolicy.DEFAULT_START_DEADLINE,
                Duration.ofMinutes(1),
                Duration.ofHours(2));
        Duration portHold = env.duration(
                "PORT_HOLD_GRACE",
                ProvisioningPolicy.DEFAULT_PORT_HOLD_GRACE,
                Duration.ofSeconds(30),
                Duration.ofDays(1));
        if (notifyWhen == NotificationPolicy.WHEN_STARTED && publicHost.isEmpty()) {
            env.problem("NOTIFY_WHEN=started needs PUBLIC_HOST: the link is sent before the runtime reports a host");
        }
        ProvisioningPolicy policy = new ProvisioningPolicy(
                notifyWhen,
                format,
                publicHost,
                ProvisioningPolicy.DEFAULT_CLAIM_TIMEOUT,
                startDeadline,
                portHold,
                ProvisioningPolicy.DEFAULT_READY_DEADLINE,
                true);
        return new CoreSettings(
                apiKeys,
                stripeSecrets,
                Duration.ofSeconds(tolerance),
                pool,
                policy,
                DEFAULT_SWEEP,
                HttpApi.DEFAULT_LIST_LIMIT);
    }

    private static NotificationPolicy notifyWhen(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "running":
                return NotificationPolicy.WHEN_RUNNING;
            case "started":
                return NotificationPolicy.WHEN_STARTED;
            default:
                throw new IllegalArgumentException("must be 'running' or 'started', was '" + value + "'");
        }
    }
}
