package dev.tenantprovisioner.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.google.inject.util.Modules;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.usecase.ObserveTask;
import dev.tenantprovisioner.http.HttpApi;
import dev.tenantprovisioner.http.Json;
import dev.tenantprovisioner.http.LogOutput;
import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The production wiring with in-memory adapters, and API Gateway v2 events shaped as AWS documents them (API
 * Gateway developer guide, "Create AWS Lambda proxy integrations for HTTP APIs", payload format version 2.0).
 */
final class Fixture {

    static final String API_KEY = "test-key-0123456789abcdef";
    static final String STRIPE_SECRET = "whsec_test_secret_one";
    static final String ROTATED_STRIPE_SECRET = "whsec_test_secret_two";

    final InMemoryAdaptersModule adapters;
    /** The HTTP API function, which leaves the welcome email to the others. */
    final Injector injector;
    /** The task-event (and sweep) function, on the same adapters: it sends the welcome email. */
    final Injector workers;

    final HttpApiHandler handler;

    Fixture(PortPool pool, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(baseEnv());
        env.putAll(extraEnv);
        adapters = new InMemoryAdaptersModule(pool);
        injector = Guice.createInjector(
                Stage.PRODUCTION, Modules.override(Bootstrap.modules(env)).with(adapters));
        workers = Guice.createInjector(
                Stage.PRODUCTION,
                Modules.override(Bootstrap.modules(Bootstrap.Function.TASK_EVENTS, env, id -> "unused"))
                        .with(adapters));
        handler = new HttpApiHandler(injector.getInstance(HttpApi.class));
    }

    Fixture() {
        this(PortPool.range(3000, 3099), Map.of());
    }

    static Map<String, String> baseEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("API_KEYS", API_KEY + ",second-key-0123456789");
        env.put("STRIPE_WEBHOOK_SECRETS", STRIPE_SECRET + "," + ROTATED_STRIPE_SECRET);
        env.put("AWS_REGION", "eu-west-1");
        env.put("ECS_CLUSTER", "tenants");
        env.put("ECS_TASK_DEFINITION", "tenant-app");
        env.put("ECS_CONTAINER_NAME", "app");
        env.put("RESEND_API_KEY", "re_test_key");
        env.put("RESEND_FROM", "Acme <welcome@acme.dev>");
        return env;
    }

    EcsTaskStateHandler ecsHandler() {
        return new EcsTaskStateHandler(workers.getInstance(ObserveTask.class), workers.getInstance(LogOutput.class));
    }

    /** ECS reports the tenant's task running, as EventBridge would after a start: the task-event function sends the email. */
    String taskRunningEvent(String tenant) {
        TaskId task =
                adapters.registry.find(TenantId.of(tenant)).orElseThrow().task().orElseThrow();
        return ecsHandler().handleRequest(EcsTaskStateHandlerTest.taskEvent(task.value(), tenant, "RUNNING"), null);
    }

    APIGatewayV2HTTPResponse send(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, null);
    }

    static APIGatewayV2HTTPEvent event(String method, String path, String body, Map<String, String> headers) {
        Map<String, String> allHeaders = new LinkedHashMap<>();
        allHeaders.put("content-type", "application/json");
        allHeaders.put("user-agent", "curl/8.5.0");
        allHeaders.put("x-forwarded-for", "203.0.113.9");
        allHeaders.putAll(headers);
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(allHeaders)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("123456789012")
                        .withApiId("api-id")
                        .withDomainName("api-id.execute-api.eu-west-1.amazonaws.com")
                        .withStage("$default")
                        .withRequestId(UUID.randomUUID().toString())
                        .withRouteKey("$default")
                        .withTimeEpoch(System.currentTimeMillis())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(path)
                                .withProtocol("HTTP/1.1")
                                .withSourceIp("203.0.113.9")
                                .withUserAgent("curl/8.5.0")
                                .build())
                        .build())
                .build();
    }

    static APIGatewayV2HTTPEvent authorized(String method, String path, String body) {
        return event(method, path, body, Map.of("x-api-key", API_KEY));
    }

    static String provisionBody(String userId, String email) {
        return "{\"userId\":\"" + userId + "\",\"email\":\"" + email + "\"}";
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(APIGatewayV2HTTPResponse response) {
        try {
            return (Map<String, Object>) Json.parse(response.getBody());
        } catch (Json.MalformedJsonException e) {
            throw new AssertionError("answer is not JSON: " + response.getBody(), e);
        }
    }
}
