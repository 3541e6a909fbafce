package dev.tenantprovisioner.adapters.aws.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * A WireMock server on 127.0.0.1 standing in for ECS (and EC2's Query API under {@code /ec2/}), with the real
 * clients of this package pointed at it.
 */
final class EcsWire implements AutoCloseable {

    static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    static final String JSON_1_1 = "application/x-amz-json-1.1";
    static final String ACCESS_KEY = "AKIDEXAMPLETEST";
    static final ObjectMapper JSON = new ObjectMapper();

    final WireMockServer server;
    private final SdkHttpClient http = EcsClients.httpClient();
    final EcsClient ecs;
    final Ec2PublicAddresses ec2;

    EcsWire(Extension... extensions) {
        server = new WireMockServer(
                wireMockConfig().bindAddress("127.0.0.1").dynamicPort().extensions(extensions));
        server.start();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, "test-secret"));
        ecs = EcsClients.ecs(http, Region.US_EAST_1, credentials, Optional.of(URI.create(server.baseUrl())));
        ec2 = new Ec2PublicAddresses(http, Region.US_EAST_1, credentials, URI.create(server.baseUrl() + "/ec2/"));
    }

    EcsContainerRuntime runtime(EcsSettings settings) {
        return new EcsContainerRuntime(ecs, ec2, settings);
    }

    static MappingBuilder ecsCall(String operation) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET_PREFIX + operation));
    }

    void answer(String operation, int status, String json) {
        server.stubFor(ecsCall(operation)
                .willReturn(aResponse()
                        .withStatus(status)
                        .withHeader("Content-Type", JSON_1_1)
                        .withBody(json)));
    }

    void answerError(String operation, int status, String type, String message) {
        answer(operation, status, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }

    static RequestPatternBuilder ecsRequest(String operation) {
        return postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET_PREFIX + operation));
    }

    List<LoggedRequest> requests(String operation) {
        return server.findAll(ecsRequest(operation));
    }

    /** The JSON body of the only request of this operation. */
    JsonNode onlyBody(String operation) {
        List<LoggedRequest> sent = requests(operation);
        if (sent.size() != 1) {
            throw new AssertionError("expected exactly one " + operation + ", got " + sent.size());
        }
        return json(sent.get(0).getBodyAsString());
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        ecs.close();
        http.close();
        server.stop();
    }
}
