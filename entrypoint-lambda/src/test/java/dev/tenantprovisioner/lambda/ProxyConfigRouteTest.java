package dev.tenantprovisioner.lambda;

import static dev.tenantprovisioner.lambda.Fixture.authorized;
import static dev.tenantprovisioner.lambda.Fixture.event;
import static dev.tenantprovisioner.lambda.Fixture.json;
import static dev.tenantprovisioner.lambda.Fixture.provisionBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tenantprovisioner.domain.model.PortPool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /proxy/config?host=}: what the proxy on each host asks for, with a key of its own. */
class ProxyConfigRouteTest {

    private static final String PROXY_KEY = "proxy-key-0123456789abcdef";

    private final Fixture fixture = new Fixture(PortPool.range(3000, 3099), Map.of("PROXY_KEYS", PROXY_KEY));

    private APIGatewayV2HTTPResponse config(String query, Map<String, String> headers) {
        APIGatewayV2HTTPEvent request = event("GET", "/proxy/config", null, headers);
        request.setRawQueryString(query);
        return fixture.send(request);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> tenantRoutes(Map<String, Object> config) {
        Map<String, Object> apps = (Map<String, Object>) config.get("apps");
        Map<String, Object> servers = (Map<String, Object>) ((Map<String, Object>) apps.get("http")).get("servers");
        return (List<Object>) ((Map<String, Object>) servers.get("tenants")).get("routes");
    }

    @Test
    void givenTheProxysKey_whenItAsksForItsHost_thenCaddyConfigurationWithARouteForEachTenantThere() {
        fixture.send(authorized("POST", "/provision", provisionBody("alice", "alice@example.com")));
        fixture.send(authorized("POST", "/provision", provisionBody("bob", "bob@example.com")));

        APIGatewayV2HTTPResponse response = config("host=127.0.0.1", Map.of("x-api-key", PROXY_KEY));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders())
                .containsEntry("content-type", "application/json")
                .containsEntry("cache-control", "no-store");
        assertThat(tenantRoutes(json(response)))
                .hasSize(3)
                .first()
                .hasToString("{match=[{host=[alice.127-0-0-1.sslip.io]}], handle=[{handler=reverse_proxy,"
                        + " upstreams=[{dial=127.0.0.1:3000}]}], terminal=true}");
        assertThat(fixture.adapters.logLines())
                .anySatisfy(line -> assertThat(line)
                        .contains("\"route\":\"GET /proxy/config\"")
                        .contains("\"host\":\"127.0.0.1\"")
                        .contains("\"routes\":2"));
    }

    @Test
    void givenAnotherHost_whenItAsks_thenNoTenantIsRoutedThere() {
        fixture.send(authorized("POST", "/provision", provisionBody("alice", "alice@example.com")));

        APIGatewayV2HTTPResponse response = config("host=10.9.9.9", Map.of("x-api-key", PROXY_KEY));

        assertThat(tenantRoutes(json(response)))
                .as("only the page for names nobody has")
                .hasSize(1);
    }

    @Test
    void givenAnApiKey_whenItAsks_thenItMayReadTheConfigurationToo() {
        assertThat(config("host=127.0.0.1", Map.of("x-api-key", Fixture.API_KEY))
                        .getStatusCode())
                .isEqualTo(200);
    }

    @Test
    void givenNoKeyOrAWrongOne_whenAsked_then401AndNoRoutes() {
        assertThat(config("host=127.0.0.1", Map.of()).getStatusCode()).isEqualTo(401);
        assertThat(config("host=127.0.0.1", Map.of("x-api-key", "not-the-key-0123456789"))
                        .getStatusCode())
                .isEqualTo(401);
    }

    @Test
    void givenTheProxysKey_whenItTriesToProvisionOrList_then401AndNothingIsAllocated() {
        Map<String, String> proxyKey = Map.of("x-api-key", PROXY_KEY);

        assertThat(fixture.send(event("POST", "/provision", provisionBody("mallory", "m@example.com"), proxyKey))
                        .getStatusCode())
                .isEqualTo(401);
        assertThat(fixture.send(event("GET", "/tenants", null, proxyKey)).getStatusCode())
                .isEqualTo(401);
        assertThat(fixture.send(event("DELETE", "/tenants/alice", null, proxyKey))
                        .getStatusCode())
                .isEqualTo(401);
        assertThat(fixture.adapters.registry.list(10)).isEmpty();
    }

    @Test
    void givenNoHostOrNoAddress_whenAsked_then400NamingTheField() {
        Map<String, String> proxyKey = Map.of("x-api-key", PROXY_KEY);

        for (String query : List.of("", "host=", "host=alice.example.com", "host=256.1.1.1")) {
            APIGatewayV2HTTPResponse response = config(query, proxyKey);
            assertThat(response.getStatusCode()).as(query).isEqualTo(400);
            assertThat(json(response)).containsEntry("field", "host");
        }
    }

    @Test
    void givenAWrite_whenSentToTheConfiguration_then405() {
        APIGatewayV2HTTPEvent post = event("POST", "/proxy/config", "{}", Map.of("x-api-key", PROXY_KEY));

        assertThat(fixture.send(post).getStatusCode()).isEqualTo(405);
    }

    @Test
    void givenNoProxy_whenAsked_then404SayingLinksGoStraightToThePorts() {
        Fixture direct = new Fixture(PortPool.range(3000, 3099), Map.of("PROXY", "none", "PROXY_KEYS", PROXY_KEY));
        APIGatewayV2HTTPEvent request = event("GET", "/proxy/config", null, Map.of("x-api-key", PROXY_KEY));
        request.setRawQueryString("host=127.0.0.1");

        APIGatewayV2HTTPResponse response = direct.send(request);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(json(response)).containsEntry("code", "proxy-not-configured");
        direct.send(authorized("POST", "/provision", provisionBody("alice", "alice@example.com")));
        assertThat(direct.adapters.registry.list(10))
                .singleElement()
                .satisfies(lease -> assertThat(lease.port()).isPresent());
        assertThat(json(direct.send(authorized("GET", "/tenants/alice", null))))
                .containsEntry("accessUrl", "http://alice.127-0-0-1.sslip.io:3000");
    }

    @Test
    void givenTheProxysConfiguration_thenTheIdleReaderOnAwsLooksForTheAccessLoggerItNames() {
        // Were they apart, the reader would find no visits and every tenant would be put to sleep.
        assertThat(dev.tenantprovisioner.adapters.aws.ecs.ProxyAccessLogTraffic.ACCESS_LOGGER)
                .isEqualTo(dev.tenantprovisioner.http.proxy.ProxySettings.ACCESS_LOGGER);
        String config = config("host=127.0.0.1", Map.of("x-api-key", PROXY_KEY)).getBody();
        assertThat(config).contains("\"" + dev.tenantprovisioner.http.proxy.ProxySettings.ACCESS_LOGGER + "\"");
    }
}
