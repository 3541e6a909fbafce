package dev.tenantprovisioner.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tenantprovisioner.http.ApiRequest;
import dev.tenantprovisioner.http.ApiResponse;
import dev.tenantprovisioner.http.HttpApi;
import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import dev.tenantprovisioner.lambda.wiring.LambdaInvocation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * The Lambda handler behind API Gateway's HTTP API (payload format 2.0). It only translates the event
 * to an {@link ApiRequest} and back; the API itself is built once per JVM, during init.
 */
public final class HttpApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final HttpApi api;

    /** Used by Lambda: the production wiring, from the environment. */
    public HttpApiHandler() {
        this(Bootstrap.production(Bootstrap.Function.HTTP_API, HttpApi.class));
    }

    public HttpApiHandler(HttpApi api) {
        this.api = api;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (isWarmup(event)) {
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(200)
                    .withBody(Warmup.ANSWER)
                    .withIsBase64Encoded(false)
                    .build();
        }
        ApiResponse response = api.handle(toRequest(event, context), LambdaInvocation.fields(context));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }

    /**
     * The schedule's <code>{"warmup": true}</code> ({@link Warmup}). Lambda's Java runtime builds the event object from
     * it and drops the field it does not know, so what arrives is an event with no request context, no route and no
     * path: never what API Gateway sends, whose payload format 2.0 always carries {@code routeKey}, {@code rawPath} and
     * {@code requestContext} (API Gateway developer guide, "Create AWS Lambda proxy integrations for HTTP APIs").
     */
    static boolean isWarmup(APIGatewayV2HTTPEvent event) {
        return event == null
                || (event.getRequestContext() == null && event.getRouteKey() == null && event.getRawPath() == null);
    }

    static ApiRequest toRequest(APIGatewayV2HTTPEvent event, Context context) {
        APIGatewayV2HTTPEvent.RequestContext requestContext = event.getRequestContext();
        String method = Optional.ofNullable(requestContext)
                .map(APIGatewayV2HTTPEvent.RequestContext::getHttp)
                .map(APIGatewayV2HTTPEvent.RequestContext.Http::getMethod)
                .orElse("GET");
        String requestId = Optional.ofNullable(requestContext)
                .map(APIGatewayV2HTTPEvent.RequestContext::getRequestId)
                .or(() -> Optional.ofNullable(context).map(Context::getAwsRequestId))
                .orElseGet(() -> UUID.randomUUID().toString());
        String path = Optional.ofNullable(event.getRawPath()).orElse("/");
        return new ApiRequest(method, path, event.getHeaders(), body(event), requestId, event.getRawQueryString());
    }

    private static byte[] body(APIGatewayV2HTTPEvent event) {
        if (event.getBody() == null) {
            return new byte[0];
        }
        if (event.getIsBase64Encoded()) {
            try {
                return Base64.getDecoder().decode(event.getBody());
            } catch (IllegalArgumentException notBase64) {
                // API Gateway never sends this; treat it as the literal text so the JSON check names the problem.
                return event.getBody().getBytes(StandardCharsets.UTF_8);
            }
        }
        return event.getBody().getBytes(StandardCharsets.UTF_8);
    }
}
