package dev.tenantprovisioner.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 9457 problem details: what went wrong, for which field, as {@code application/problem+json}. */
public final class Problem {

    private Problem() {}

    public static ApiResponse of(int status, String code, String title, String detail) {
        return of(status, code, title, detail, null);
    }

    public static ApiResponse of(int status, String code, String title, String detail, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:tenant-provisioner:problem:" + code);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code);
        if (field != null) {
            body.put("field", field);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/problem+json");
        return new ApiResponse(status, headers, Json.write(body));
    }

    public static ApiResponse invalidField(String field, String problem) {
        return of(400, "invalid-field", "Invalid field", field + ": " + problem, field);
    }
}
