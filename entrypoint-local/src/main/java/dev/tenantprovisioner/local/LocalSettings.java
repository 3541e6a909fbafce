package dev.tenantprovisioner.local;

import dev.tenantprovisioner.adapters.local.TenantCommand;
import dev.tenantprovisioner.adapters.postgres.PostgresSettings;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.http.wiring.CoreSettings;
import dev.tenantprovisioner.http.wiring.Env;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the local runner adds to the {@link CoreSettings}: where it listens, how tenants run, where mail
 * goes, where tenants' databases live. Every setting has a default, so the runner starts from a fresh clone with no
 * environment at all. Tenant databases: {@code DATABASE_ADMIN_URL} and friends name a server (as on AWS); without
 * them, {@code LOCAL_DATABASE=auto} (the default) starts one of this machine's PostgreSQL binaries in
 * {@code LOCAL_DATABASE_DIR}, and runs without databases where there are none or the server cannot start;
 * {@code LOCAL_DATABASE=on} stops the runner then instead.
 */
public record LocalSettings(
        CoreSettings core,
        int httpPort,
        Ipv4Address tenantHost,
        TenantCommand tenantCommand,
        boolean demoApp,
        int maxTenants,
        Path outbox,
        Path tenantLogs,
        String mailFrom,
        boolean generatedApiKey,
        Optional<PostgresSettings> database,
        DatabaseMode localDatabase,
        Path localDatabaseDir,
        Optional<Duration> idleSuspendAfter,
        boolean localProxy,
        Path localProxyDir) {

    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String DEFAULT_PORT_RANGE_FIRST = "8100";
    public static final String DEFAULT_PORT_RANGE_LAST = "8199";
    public static final String DEFAULT_MAIL_FROM = "Tenant Provisioner <welcome@provisioner.localhost>";
    /** Where the local proxy listens by default: plain HTTP on loopback, outside the tenants' ports. */
    public static final String DEFAULT_PROXY_PORT = "8088";

    /** {@code LOCAL_DATABASE}: whether the runner starts a PostgreSQL server for tenants' databases. */
    public enum DatabaseMode {
        /** Starts one where it can; otherwise runs without databases and says why. */
        AUTO,
        /** Starts one, or the runner does not start. */
        ON,
        /** No tenant databases. */
        OFF
    }

    public static LocalSettings from(Map<String, String> variables) {
        Map<String, String> withDefaults = new HashMap<>(variables);
        boolean generated = new Env(variables).list("API_KEYS").isEmpty();
        if (generated) {
            withDefaults.put("API_KEYS", freshApiKey());
        }
        withDefaults.putIfAbsent("PORT_RANGE_FIRST", DEFAULT_PORT_RANGE_FIRST);
        withDefaults.putIfAbsent("PORT_RANGE_LAST", DEFAULT_PORT_RANGE_LAST);
        String proxy = new Env(variables).orDefault("LOCAL_PROXY", "none");
        boolean localProxy = proxy.equals("caddy");
        if (localProxy) {
            Env raw = new Env(variables);
            boolean plain = raw.orDefault("PROXY", "http")
                    .toLowerCase(java.util.Locale.ROOT)
                    .equals("http");
            withDefaults.putIfAbsent("PROXY", "http");
            if (plain) {
                // Plain HTTP on loopback names, which browsers resolve to this machine without DNS (RFC 6761) and
                // open without a warning: http://{tenant}.localhost:8088, routed by the same configuration as on AWS.
                withDefaults.putIfAbsent("PROXY_PORT", DEFAULT_PROXY_PORT);
                withDefaults.putIfAbsent("TENANT_DOMAIN", "localhost");
            }
            withDefaults.putIfAbsent("PROXY_POLL_INTERVAL", "1s");
            // Loopback only, like the runner and its tenants: nothing here is exposed beyond this machine. The links
            // point at the proxy; the proxy reaches the tenants where they listen.
            withDefaults.putIfAbsent("PROXY_BIND", "127.0.0.1");
            withDefaults.putIfAbsent("PUBLIC_HOST", withDefaults.get("PROXY_BIND"));
            withDefaults.putIfAbsent("PROXY_UPSTREAM_HOST", raw.orDefault("LOCAL_TENANT_HOST", "127.0.0.1"));
            // The proxy reaches this runner's wake route over plain HTTP on loopback.
            withDefaults.putIfAbsent("PROXY_API_TLS", "false");
            if (raw.list("PROXY_KEYS").isEmpty()) {
                withDefaults.put("PROXY_KEYS", freshApiKey());
            }
        } else {
            withDefaults.putIfAbsent("PROXY", "none");
        }
        Env env = new Env(withDefaults);
        if (!localProxy && !proxy.equals("none")) {
            env.problem("LOCAL_PROXY must be caddy or none, was '" + proxy + "'");
        }
        CoreSettings core = CoreSettings.from(env);
        int httpPort = env.integer("LOCAL_HTTP_PORT", DEFAULT_HTTP_PORT, 0, 65535);
        if (core.portPool().contains(httpPort)) {
            env.problem("LOCAL_HTTP_PORT (" + httpPort + ") lies inside the tenants' port range "
                    + core.portPool().first() + "-" + core.portPool().last() + "; move one of them");
        }
        core.proxy().ifPresent(front -> {
            int port = front.listener().port();
            if (core.portPool().contains(port) || port == httpPort) {
                env.problem("PROXY_PORT (" + port + ") must lie outside the tenants' ports and differ from"
                        + " LOCAL_HTTP_PORT");
            }
        });
        if (localProxy && LocalProxy.findCaddy().isEmpty()) {
            env.problem("LOCAL_PROXY=caddy needs caddy on the PATH (sudo apt-get install caddy), or LOCAL_PROXY=none");
        }
        Path proxyDir = Path.of(env.orDefault("LOCAL_PROXY_DIR", "tenant-data/proxy"))
                .toAbsolutePath()
                .normalize();
        Ipv4Address tenantHost =
                env.parsed("LOCAL_TENANT_HOST", LocalSettings::loopback).orElse(Ipv4Address.of("127.0.0.1"));
        var command = env.optional("LOCAL_TENANT_COMMAND");
        int maxTenants = env.integer("LOCAL_MAX_TENANTS", 20, 1, 1000);
        Path outbox = Path.of(env.orDefault("LOCAL_OUTBOX", "outbox"))
                .toAbsolutePath()
                .normalize();
        Path logs = Path.of(env.orDefault("LOCAL_TENANT_LOGS", "tenant-logs"))
                .toAbsolutePath()
                .normalize();
        String from = env.orDefault("MAIL_FROM", DEFAULT_MAIL_FROM);
        Optional<PostgresSettings> database = Optional.empty();
        try {
            database = PostgresSettings.from(env::optional);
        } catch (IllegalArgumentException bad) {
            env.problem(bad.getMessage());
        }
        String localDatabase = env.orDefault("LOCAL_DATABASE", "auto");
        DatabaseMode databaseMode = DatabaseMode.AUTO;
        try {
            databaseMode = DatabaseMode.valueOf(localDatabase.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            env.problem("LOCAL_DATABASE must be auto, on or off, was '" + localDatabase + "'");
        }
        Path databaseDir = Path.of(env.orDefault("LOCAL_DATABASE_DIR", "tenant-data/postgres"))
                .toAbsolutePath()
                .normalize();
        Optional<Duration> idleAfter = env.optional("IDLE_SUSPEND_AFTER")
                .filter(v -> !v.isBlank())
                .map(v -> env.duration(
                        "IDLE_SUSPEND_AFTER", Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofDays(30)));
        env.check();
        return new LocalSettings(
                core,
                httpPort,
                tenantHost,
                command.map(TenantCommand::shell).orElseGet(TenantCommand::demoApp),
                command.isEmpty(),
                maxTenants,
                outbox,
                logs,
                from,
                generated,
                database,
                databaseMode,
                databaseDir,
                idleAfter,
                localProxy,
                proxyDir);
    }

    /** The key to print: the first configured one (the runner's own when none was given). */
    public String apiKey() {
        return core.apiKeys().get(0);
    }

    private static Ipv4Address loopback(String value) {
        Ipv4Address address = Ipv4Address.of(value);
        if (!address.value().startsWith("127.")) {
            throw new IllegalArgumentException("must be a loopback address 127.x.y.z, was " + value
                    + " (tenants are not exposed beyond this machine)");
        }
        return address;
    }

    private static String freshApiKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "local-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
