package dev.tenantprovisioner.http.proxy;

import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.usecase.ListRoutes;
import dev.tenantprovisioner.domain.usecase.WakeTenant;
import dev.tenantprovisioner.http.ApiRequest;
import dev.tenantprovisioner.http.ApiResponse;
import dev.tenantprovisioner.http.HttpApi;
import dev.tenantprovisioner.http.Json;
import dev.tenantprovisioner.http.Problem;
import dev.tenantprovisioner.http.RequestLog;
import java.util.List;
import java.util.Optional;

/**
 * What the proxies ask of the provisioner: {@code GET /proxy/config?host=a.b.c.d}, the whole configuration of the proxy
 * on that host, asked for every {@code PROXY_POLL_INTERVAL} (see {@link CaddyConfig}); and {@code /proxy/wake/{tenant}},
 * where a visit to a tenant asleep for idleness is sent (see {@link WakeRoute}).
 */
public final class ProxyConfigRoute implements HttpApi.ProxyRoute {

    private final ListRoutes routes;
    private final Optional<ProxySettings> settings;
    private final WakeRoute wake;

    public ProxyConfigRoute(ListRoutes routes, WakeTenant wake, Optional<ProxySettings> settings) {
        this.routes = routes;
        this.settings = settings;
        this.wake = new WakeRoute(wake);
    }

    @Override
    public ApiResponse wake(ApiRequest request, String tenant, RequestLog line) {
        return wake.wake(request, tenant, line);
    }

    /** The configuration of the proxy on {@code host}, as the route serves it; empty when there is no proxy. */
    public Optional<String> configFor(Ipv4Address host) {
        return settings.map(proxy -> Json.write(CaddyConfig.of(proxy, routes.routes(host))));
    }

    @Override
    public ApiResponse config(ApiRequest request, RequestLog line) {
        if (settings.isEmpty()) {
            return Problem.of(
                    404,
                    "proxy-not-configured",
                    "No proxy configured",
                    "PROXY is none: links name each tenant's own port and no proxy routes them");
        }
        Optional<String> host = request.parameter("host");
        if (host.isEmpty()) {
            return Problem.invalidField(
                    "host", "the public IPv4 address of the proxy's host is required, ?host=a.b.c.d");
        }
        Ipv4Address address;
        try {
            address = Ipv4Address.of(host.get());
        } catch (InvalidValueException bad) {
            return Problem.invalidField("host", bad.problem());
        }
        List<ListRoutes.Route> found = routes.routes(address);
        line.put("host", address.value());
        line.put("routes", found.size());
        return ApiResponse.json(200, CaddyConfig.of(settings.get(), found)).withHeader("cache-control", "no-store");
    }
}
