package dev.tenantprovisioner.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer: status, headers and a JSON (or problem+JSON) body. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    public static ApiResponse json(int status, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        return new ApiResponse(status, headers, Json.write(body));
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> next = new LinkedHashMap<>(headers);
        next.put(name, value);
        return new ApiResponse(status, next, body);
    }
}
