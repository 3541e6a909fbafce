package dev.tenantprovisioner.adapters.aws.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.util.List;

/**
 * The stateful {@link FakeEcs} served on a free loopback port, for tests in other modules that point a whole
 * function at it (an endpoint override) and read back what went over the wire.
 */
public final class FakeEcsServer implements AutoCloseable {

    private final FakeEcs fake = new FakeEcs();
    private final WireMockServer server;

    public FakeEcsServer() {
        server = new WireMockServer(
                wireMockConfig().bindAddress("127.0.0.1").dynamicPort().extensions(fake));
        server.start();
        for (String operation : List.of("RunTask", "DescribeTasks", "StopTask", "ListTasks")) {
            server.stubFor(post(urlEqualTo("/"))
                    .withHeader("X-Amz-Target", equalTo(EcsWire.TARGET_PREFIX + operation))
                    .willReturn(aResponse().withTransformers(FakeEcs.NAME)));
        }
    }

    public URI endpoint() {
        return URI.create(server.baseUrl());
    }

    public FakeEcs fake() {
        return fake;
    }

    /** Every request of one operation the fake received, headers included. */
    public List<LoggedRequest> requests(String operation) {
        return server.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo(EcsWire.TARGET_PREFIX + operation)));
    }

    /** Every request the server received, whatever its path. */
    public int requestCount() {
        return server.getAllServeEvents().size();
    }

    @Override
    public void close() {
        server.stop();
    }
}
