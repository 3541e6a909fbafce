package dev.tenantprovisioner.adapters.aws.dynamodb;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Throttling and server errors at the wire: retried with backoff, then reported with the table and key. */
class DynamoDbPortRegistryFailuresTest {

    private static final TableName TABLE = TableName.of("PortTracking");
    private static final String JSON = "application/x-amz-json-1.0";

    private final WireMockServer dynamo =
            new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private DynamoDbClient client;

    private DynamoDbPortRegistry registry(int maxAttempts) {
        dynamo.start();
        client = DynamoDbClients.create(
                new DynamoDbSettings(TABLE, Region.EU_WEST_1, Optional.of(URI.create(dynamo.baseUrl())), maxAttempts),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        return new DynamoDbPortRegistry(client, TABLE, PortPool.defaults());
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        dynamo.stop();
    }

    @Test
    void givenThrottledTwice_whenFinding_thenRetriedAndAnswered() {
        DynamoDbPortRegistry registry = registry(4);
        dynamo.stubFor(post(urlEqualTo("/"))
                .inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(throttled())
                .willSetStateTo("once"));
        dynamo.stubFor(post(urlEqualTo("/"))
                .inScenario("throttle")
                .whenScenarioStateIs("once")
                .willReturn(throttled())
                .willSetStateTo("twice"));
        dynamo.stubFor(post(urlEqualTo("/"))
                .inScenario("throttle")
                .whenScenarioStateIs("twice")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", JSON)
                        .withBody("{}")));

        assertThat(registry.find(TenantId.of("acme"))).isEmpty();

        dynamo.verify(3, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void givenServerErrorsThroughout_whenFinding_thenRetryableFailureNamesTableAndKey() {
        DynamoDbPortRegistry registry = registry(3);
        dynamo.stubFor(
                post(urlEqualTo("/"))
                        .willReturn(
                                aResponse()
                                        .withStatus(500)
                                        .withHeader("Content-Type", JSON)
                                        .withBody(
                                                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"boom\"}")));

        assertThatThrownBy(() -> registry.find(TenantId.of("acme")))
                .isInstanceOfSatisfying(
                        InfrastructureException.class,
                        e -> assertThat(e.retryable()).isTrue())
                .hasMessageContaining("PortTracking")
                .hasMessageContaining("TENANT#acme");
        dynamo.verify(3, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void givenMissingTable_whenFinding_thenPermanentFailureNamesTableAndKey() {
        DynamoDbPortRegistry registry = registry(3);
        dynamo.stubFor(post(urlEqualTo("/"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", JSON)
                        .withBody("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
                                + "\"message\":\"Requested resource not found\"}")));

        assertThatThrownBy(() -> registry.find(TenantId.of("acme")))
                .isInstanceOfSatisfying(
                        InfrastructureException.class,
                        e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("PortTracking")
                .hasMessageContaining("TENANT#acme");
        dynamo.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder throttled() {
        return aResponse()
                .withStatus(400)
                .withHeader("Content-Type", JSON)
                .withBody(
                        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\",\"message\":\"slow down\"}");
    }
}
