package dev.tenantprovisioner.http;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The request checks routes share: method, size, media type, and fields of a JSON body. */
final class Checks {

    static final int MAX_BODY_BYTES = 16 * 1024;
    /** Stripe's events are far larger than a signup (an invoice with its lines); the webhook takes up to this. */
    static final int WEBHOOK_MAX_BODY_BYTES = 512 * 1024;

    private Checks() {}

    static Optional<ApiResponse> allow(ApiRequest request, String... methods) {
        for (String method : methods) {
            if (method.equals(request.method())) {
                return Optional.empty();
            }
        }
        return Optional.of(Problem.of(
                        405,
                        "method-not-allowed",
                        "Method not allowed",
                        request.method() + " is not allowed here; use " + String.join(" or ", methods))
                .withHeader("allow", String.join(", ", methods)));
    }

    static Optional<ApiResponse> tooLarge(ApiRequest request) {
        return tooLarge(request, MAX_BODY_BYTES);
    }

    static Optional<ApiResponse> tooLarge(ApiRequest request, int limit) {
        if (request.body().length > limit) {
            return Optional.of(Problem.of(
                    413,
                    "body-too-large",
                    "Body too large",
                    "the body has " + request.body().length + " bytes; at most " + limit + " are accepted"));
        }
        return Optional.empty();
    }

    static Optional<ApiResponse> notJson(ApiRequest request) {
        Optional<String> type = request.header("content-type");
        if (type.isEmpty()) {
            return Optional.of(Problem.of(
                    415,
                    "unsupported-media-type",
                    "Unsupported media type",
                    "send the body as JSON with Content-Type: application/json; the request had no Content-Type"));
        }
        if (!type.get().toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return Optional.of(Problem.of(
                    415,
                    "unsupported-media-type",
                    "Unsupported media type",
                    "send the body as application/json, not " + type.get()));
        }
        return Optional.empty();
    }

    static String requiredString(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            throw new FieldException(field, "is required");
        }
        if (!(value instanceof String s)) {
            throw new FieldException(field, "must be a string");
        }
        return s;
    }

    static boolean optionalBoolean(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw new FieldException(field, "must be true or false");
        }
        return b;
    }

    /** A field of the body that is missing or of the wrong type. */
    static final class FieldException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String field;
        final String problem;

        FieldException(String field, String problem) {
            super(field + ": " + problem, null, false, false);
            this.field = field;
            this.problem = problem;
        }
    }
}
