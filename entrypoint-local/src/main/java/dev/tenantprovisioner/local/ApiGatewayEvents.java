package dev.tenantprovisioner.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a plain HTTP request into the API Gateway HTTP API event (payload format 2.0) that Lambda
 * receives, as {@code sam local start-api} does: header names in lowercase, repeated headers joined with
 * commas, cookies apart, and a body that is not UTF-8 text sent base64-encoded (API Gateway developer guide,
 * "Create AWS Lambda proxy integrations for HTTP APIs", payload format version 2.0).
 */
final class ApiGatewayEvents {

    private ApiGatewayEvents() {
    }

    static APIGatewayV2HTTPEvent event(String method, URI uri, Map<String, List<String>> headers, byte[] body,
            String sourceIp) {
        Map<String, String> lower = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        headers.forEach((name, values) -> {
            String key = name.toLowerCase(Locale.ROOT);
            if (key.equals("cookie")) {
                values.forEach(v -> cookies.addAll(List.of(v.split(";\\s*"))));
            } else {
                lower.merge(key, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String text = utf8(body);
        String userAgent = lower.getOrDefault("user-agent", "");
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString(uri.getRawQuery() == null ? "" : uri.getRawQuery())
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(lower)
                .withBody(body.length == 0 ? null : text != null ? text : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && text == null)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("local")
                        .withApiId("local")
                        .withDomainName(lower.getOrDefault("host", "127.0.0.1"))
                        .withStage("$default")
                        .withRequestId(UUID.randomUUID().toString())
                        .withRouteKey("$default")
                        .withTimeEpoch(System.currentTimeMillis())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method.toUpperCase(Locale.ROOT))
                                .withPath(path)
                                .withProtocol("HTTP/1.1")
                                .withSourceIp(sourceIp)
                                .withUserAgent(userAgent)
                                .build())
                        .build())
                .build();
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException binary) {
            return null;
        }
    }
}
