package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.TrafficMonitor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;

/**
 * When each tenant's link was last visited, read from the proxy's access log: the proxy on every container instance
 * (Caddy) writes a JSON line per request to the tenants' server on its standard output (logger
 * {@value #ACCESS_LOGGER}, with the request's host name, whose first label is the tenant's id), which the ECS agent
 * ships to the proxy's log group (the awslogs driver). It sees every visit in any network mode, needs nothing in the
 * tenant's image and no paid Container Insights.
 *
 * <p>One sweep round reads the window once ({@link FilterLogEvents}, with a JSON filter pattern for the access lines and
 * the config loader's lines, CloudWatch Logs user guide, "Filter pattern syntax"). The loader logs a line every poll
 * ("dynamically-loaded config was unchanged; will retry", Caddy's caddy.go), which says the proxy was up: a window with
 * no such line near its start or its end is a window the proxy may have been down in, when no visit could have reached
 * a tenant, so the round suspends nobody rather than suspend tenants for traffic that never reached them.
 */
public final class ProxyAccessLogTraffic implements TrafficMonitor {

    /** The proxy configuration's access logger (http-api's ProxySettings.ACCESS_LOGGER; a test keeps them equal). */
    public static final String ACCESS_LOGGER = "http.log.access.tenants";

    static final String LOADER_LOGGER = "config_loader";
    static final String FILTER = "{ ($.logger = \"" + ACCESS_LOGGER + "\") || ($.logger = \"" + LOADER_LOGGER + "\") }";

    private final FilterLogEvents logs;
    private final Duration lookBack;
    private final Duration quietLimit;
    private final Clock clock;

    /**
     * {@code lookBack}: the idle period; {@code quietLimit}: the longest the proxy may go without a loader line near
     * the window's start and end before the round counts it as down (a few of its polls).
     */
    public ProxyAccessLogTraffic(
            SdkHttpClient http,
            Region region,
            AwsCredentialsProvider credentials,
            URI endpoint,
            String logGroup,
            Duration lookBack,
            Duration quietLimit,
            Clock clock,
            Retries retries) {
        this.logs = new FilterLogEvents(
                http,
                region,
                credentials,
                endpoint,
                logGroup,
                "the proxy's log group (PROXY_LOG_GROUP, the template's ProxyLogGroup) does not exist",
                retries);
        this.lookBack = Objects.requireNonNull(lookBack, "lookBack");
        this.quietLimit = Objects.requireNonNull(quietLimit, "quietLimit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One read of the window for the whole round.
     *
     * @throws InfrastructureException if the log cannot be read, or the proxy was not heard from near both ends of
     *     the window: the round then suspends nobody
     */
    @Override
    public TrafficMonitor snapshot() {
        Instant now = clock.instant();
        Instant from = now.minus(lookBack);
        Map<String, Instant> visited = new HashMap<>();
        Instant[] heard = {null, null};
        logs.read(FILTER, from, now, (at, message) -> {
            JsonNode line;
            try {
                line = JsonNode.parser().parse(message);
            } catch (RuntimeException notJson) {
                return;
            }
            Optional<String> logger = FilterLogEvents.text(line, "logger");
            if (logger.equals(Optional.of(LOADER_LOGGER))) {
                heard[0] = heard[0] == null || at.isBefore(heard[0]) ? at : heard[0];
                heard[1] = heard[1] == null || at.isAfter(heard[1]) ? at : heard[1];
            } else {
                line.field("request")
                        .flatMap(request -> FilterLogEvents.text(request, "host"))
                        .flatMap(ProxyAccessLogTraffic::tenantOf)
                        .ifPresent(tenant -> visited.merge(tenant, at, (a, b) -> a.isAfter(b) ? a : b));
            }
        });
        if (heard[0] == null || heard[0].isAfter(from.plus(quietLimit)) || heard[1].isBefore(now.minus(quietLimit))) {
            throw new InfrastructureException(
                    "the proxy was not heard from near both ends of the last " + lookBack.toMinutes() + " min in "
                            + logs.logGroup() + " (first line " + heard[0] + ", last " + heard[1] + "): it may have"
                            + " been down, so no visit could have reached a tenant; nobody is suspended this round",
                    true);
        }
        return lease -> Optional.ofNullable(visited.get(lease.tenant().value()));
    }

    @Override
    public Optional<Instant> lastActivity(Lease lease) {
        return snapshot().lastActivity(lease);
    }

    /** The tenant a host name names: its first label, when that is a tenant id. */
    static Optional<String> tenantOf(String host) {
        String label = host.split("[.:]", 2)[0];
        try {
            return Optional.of(TenantId.of(label).value());
        } catch (InvalidValueException notATenant) {
            return Optional.empty();
        }
    }
}
