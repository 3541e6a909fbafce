package dev.tenantprovisioner.adapters.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbClients;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbSettings;
import dev.tenantprovisioner.adapters.aws.dynamodb.TableName;
import dev.tenantprovisioner.adapters.aws.ecs.EcsClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * One client serves many calls over one connection: the warm path of a Lambda must not open a connection (with TLS, a
 * handshake) per request. An answer the registry acts on (a lost condition, HTTP 400) must leave the connection
 * reusable too, so the error body is read to its end. Bodies go out buffered, with the length the JDK counted
 * ({@link UrlConnectionClients}).
 */
class KeptAliveConnectionsTest {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret"));
    private static final Map<String, AttributeValue> KEY =
            Map.of("pk", AttributeValue.fromS("TENANT#acme"), "sk", AttributeValue.fromN("0"));

    private HttpServer server;
    private final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();
    private final List<String> operations = new CopyOnWriteArrayList<>();
    private final List<String> bodiesAsSent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void givenOneDynamoDbClient_whenItSendsManyRequestsAndLosesConditions_thenOneConnectionCarriesThemAll() {
        DynamoDbClient dynamoDb = DynamoDbClients.create(
                new DynamoDbSettings(TableName.of("PortTracking"), Region.EU_WEST_1, Optional.of(endpoint()), 1),
                CREDENTIALS);

        for (int i = 0; i < 10; i++) {
            dynamoDb.getItem(r -> r.tableName("PortTracking").key(KEY));
            assertThatThrownBy(() -> dynamoDb.putItem(
                            r -> r.tableName("PortTracking").item(KEY).conditionExpression("attribute_not_exists(pk)")))
                    .isInstanceOf(ConditionalCheckFailedException.class);
        }

        assertThat(operations).hasSize(20);
        assertThat(connections).hasSize(1);
        assertThat(bodiesAsSent)
                .as("each body buffered and sent with its length, not chunked")
                .allSatisfy(sent -> {
                    String[] parts = sent.split(" ");
                    assertThat(parts[0]).isEqualTo(parts[2]);
                    assertThat(parts[1]).isEqualTo("null");
                });
    }

    @Test
    void givenOneEcsClient_whenItSendsManyRequests_thenOneConnectionCarriesThemAll() {
        EcsClient ecs = EcsClients.ecs(EcsClients.httpClient(), Region.EU_WEST_1, CREDENTIALS, Optional.of(endpoint()));

        for (int i = 0; i < 10; i++) {
            ecs.describeTasks(r -> r.cluster("tenants").tasks("arn:aws:ecs:eu-west-1:123456789012:task/tenants/1"));
        }

        assertThat(operations).hasSize(10);
        assertThat(connections).hasSize(1);
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * DynamoDB and ECS as their JSON protocols answer (both JSON over POST, the operation in {@code X-Amz-Target}):
     * DynamoDB 1.0, ECS 1.1 (the botocore models' {@code jsonVersion}); an error as DynamoDB's API reference,
     * "Error handling with DynamoDB", shows one ({@code __type} and {@code message}, HTTP 400 for
     * ConditionalCheckFailedException).
     */
    private void answer(HttpExchange exchange) throws IOException {
        connections.add(exchange.getRemoteAddress());
        byte[] request = exchange.getRequestBody().readAllBytes();
        bodiesAsSent.add(exchange.getRequestHeaders().getFirst("Content-Length") + " "
                + exchange.getRequestHeaders().getFirst("Transfer-Encoding") + " " + request.length);
        String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        operations.add(target);
        int status = 200;
        String body = "{}";
        if (target.endsWith(".PutItem")) {
            status = 400;
            body = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                    + "\"message\":\"The conditional request failed\"}";
        } else if (target.endsWith(".DescribeTasks")) {
            body = "{\"tasks\":[],\"failures\":[]}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders()
                .set(
                        "Content-Type",
                        target.startsWith("AmazonEC2ContainerService")
                                ? "application/x-amz-json-1.1"
                                : "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
