package dev.tenantprovisioner.lambda.wiring;

import dev.tenantprovisioner.domain.model.AccessUrlFormat;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.usecase.NotificationPolicy;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
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
        ProvisioningPolicy policy) {

    public static final int MIN_API_KEY_LENGTH = 16;

    public static CoreSettings from(Env env) {
        List<String> apiKeys = env.list("API_KEYS");
        if (apiKeys.isEmpty()) {
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
        NotificationPolicy notifyWhen = env.parsed("NOTIFY_WHEN", CoreSettings::notifyWhen).orElse(NotificationPolicy.WHEN_RUNNING);
        Optional<Ipv4Address> publicHost = env.parsed("PUBLIC_HOST", Ipv4Address::of);
        AccessUrlFormat.Style style = env.parsed("ACCESS_URL_STYLE", CoreSettings::style).orElse(AccessUrlFormat.Style.DOTTED);
        AccessUrlFormat format = env.parsed("ACCESS_URL_DOMAIN", domain -> new AccessUrlFormat(style, domain))
                .orElse(new AccessUrlFormat(style, AccessUrlFormat.SSLIP));
        if (notifyWhen == NotificationPolicy.WHEN_STARTED && publicHost.isEmpty()) {
            env.problem("NOTIFY_WHEN=started needs PUBLIC_HOST: the link is sent before the runtime reports a host");
        }
        ProvisioningPolicy policy = new ProvisioningPolicy(notifyWhen, format, publicHost, Duration.ofMinutes(2));
        return new CoreSettings(apiKeys, stripeSecrets, Duration.ofSeconds(tolerance), pool, policy);
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

    private static AccessUrlFormat.Style style(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "dotted":
                return AccessUrlFormat.Style.DOTTED;
            case "dashed":
                return AccessUrlFormat.Style.DASHED;
            default:
                throw new IllegalArgumentException("must be 'dotted' or 'dashed', was '" + value + "'");
        }
    }
}
