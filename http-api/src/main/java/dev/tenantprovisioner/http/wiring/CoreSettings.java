package dev.tenantprovisioner.http.wiring;

import dev.tenantprovisioner.domain.model.AccessUrlFormat;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.usecase.Limits;
import dev.tenantprovisioner.domain.usecase.NotificationPolicy;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.RestartPolicy;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.http.HttpApi;
import dev.tenantprovisioner.http.proxy.ProxySettings;
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
        int listLimit,
        Optional<ProxySettings> proxy,
        List<String> proxyKeys,
        ReadyCheck ready,
        Duration tombstoneTtl) {

    /**
     * How a tenant's link is asked before its welcome email: the path requested, how long one look at it may wait for
     * an answer (a function that has just seen the task run can wait; a sweep or a status poll asks once), and a PEM
     * file of roots it trusts besides the JVM's (a private or test certificate authority).
     */
    public record ReadyCheck(String path, Duration patience, Optional<String> trustedRoots) {}

    /** The same settings for a process that leaves the welcome email to others (see {@link ProvisioningPolicy}). */
    public CoreSettings withNotificationsElsewhere() {
        return new CoreSettings(
                apiKeys,
                stripeSecrets,
                stripeTolerance,
                portPool,
                policy.withNotificationsElsewhere(),
                sweep,
                listLimit,
                proxy,
                proxyKeys,
                ready,
                tombstoneTtl);
    }

    /**
     * How long a tombstone is kept: longer than Stripe retries a delivery (three days) and than applied events are
     * remembered (30 days), so a late delivery meets one or the other, and long enough to read a removed tenant's
     * history for a season.
     */
    public static final Duration DEFAULT_TOMBSTONE_TTL = Duration.ofDays(90);

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
        Optional<String> tenantDomain = env.parsed(
                "TENANT_DOMAIN",
                domain -> AccessUrlFormat.sslip()
                        .onTenantDomain(domain)
                        .tenantDomain()
                        .orElseThrow());
        format = tenantDomain.map(format::onTenantDomain).orElse(format);
        Optional<ProxySettings> proxy = ProxyEnv.read(env, tenantDomain);
        format = proxy.map(ProxySettings::listener).map(format::behind).orElse(format);
        List<String> proxyKeys = env.list("PROXY_KEYS");
        if (proxyKeys.stream().anyMatch(k -> k.length() < MIN_API_KEY_LENGTH)) {
            env.problem("PROXY_KEYS: every key must have at least " + MIN_API_KEY_LENGTH + " characters");
        }
        Duration readyDeadline = env.duration(
                "READY_DEADLINE",
                ProvisioningPolicy.DEFAULT_READY_DEADLINE,
                Duration.ofSeconds(30),
                Duration.ofHours(1));
        String readyPath = env.orDefault("READY_PATH", "/");
        if (!readyPath.matches("/[!-~]*")) {
            env.problem("READY_PATH must be a path starting with / without spaces, was '" + readyPath + "'");
            readyPath = "/";
        }
        Duration readyWait = env.duration("READY_WAIT", Duration.ZERO, Duration.ZERO, Duration.ofMinutes(5));
        Optional<String> readyRoots = env.optional("READY_TRUSTED_ROOTS");
        readyRoots.flatMap(CoreSettings::unusableRoots).ifPresent(env::problem);
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
                readyDeadline,
                true,
                restarts(env),
                limits(env));
        Duration tombstoneTtl =
                env.duration("TOMBSTONE_TTL", DEFAULT_TOMBSTONE_TTL, Duration.ofDays(7), Duration.ofDays(3650));
        return new CoreSettings(
                apiKeys,
                stripeSecrets,
                Duration.ofSeconds(tolerance),
                pool,
                policy,
                DEFAULT_SWEEP,
                HttpApi.DEFAULT_LIST_LIMIT,
                proxy,
                proxyKeys,
                new ReadyCheck(readyPath, readyWait, readyRoots),
                tombstoneTtl);
    }

    /** RESTART_POLICY, MAX_RESTARTS, RESTART_WINDOW and RESTART_BACKOFF. */
    private static RestartPolicy restarts(Env env) {
        RestartPolicy.Mode mode =
                env.parsed("RESTART_POLICY", CoreSettings::restartMode).orElse(RestartPolicy.Mode.ON_FAILURE);
        int max = env.integer("MAX_RESTARTS", RestartPolicy.DEFAULT_MAX_RESTARTS, 1, 100);
        Duration window =
                env.duration("RESTART_WINDOW", RestartPolicy.DEFAULT_WINDOW, Duration.ofMinutes(1), Duration.ofDays(1));
        List<Duration> backoff = env.durations("RESTART_BACKOFF", RestartPolicy.DEFAULT_BACKOFF, Duration.ofHours(1));
        return new RestartPolicy(mode, max, window, backoff);
    }

    private static RestartPolicy.Mode restartMode(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "on-failure":
                return RestartPolicy.Mode.ON_FAILURE;
            case "always":
                return RestartPolicy.Mode.ALWAYS;
            case "never":
                return RestartPolicy.Mode.NEVER;
            default:
                throw new IllegalArgumentException("must be 'on-failure', 'always' or 'never', was '" + value + "'");
        }
    }

    /** MAX_ACTIVE_TENANTS and MAX_CONCURRENT_PROVISIONS; unset is no limit. */
    private static Limits limits(Env env) {
        int active = env.integer("MAX_ACTIVE_TENANTS", Integer.MAX_VALUE, 1, 1_000_000);
        int concurrent = env.integer("MAX_CONCURRENT_PROVISIONS", Integer.MAX_VALUE, 1, 1000);
        return new Limits(active, concurrent, Limits.DEFAULT_SLOT_HOLD);
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

    /**
     * Why a file of trusted roots cannot serve the readiness probe (unreadable, or no PEM certificate in it), found
     * here so that it is one line among the settings' problems rather than a failure while the adapters are wired.
     */
    static Optional<String> unusableRoots(String file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(file))) {
            if (java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(in)
                    .isEmpty()) {
                return Optional.of("READY_TRUSTED_ROOTS names a file that holds no PEM certificate: " + file);
            }
            return Optional.empty();
        } catch (java.io.IOException | RuntimeException unreadable) {
            return Optional.of("READY_TRUSTED_ROOTS names a file that cannot be read: " + file);
        } catch (java.security.cert.CertificateException notCertificates) {
            return Optional.of("READY_TRUSTED_ROOTS names a file that holds no PEM certificate: " + file + " ("
                    + notCertificates.getMessage() + ")");
        }
    }
}
