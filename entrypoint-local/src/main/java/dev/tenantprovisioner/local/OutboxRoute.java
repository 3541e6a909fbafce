package dev.tenantprovisioner.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tenantprovisioner.adapters.local.Outbox;
import dev.tenantprovisioner.adapters.local.OutboxMessage;
import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.http.ApiKeys;
import dev.tenantprovisioner.http.ApiResponse;
import dev.tenantprovisioner.http.Problem;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /local/outbox/{tenant}}: the newest email "sent" to a tenant, for the landing page. It only
 * exists locally; it shows tenant data, so it asks for the same API key as the tenant routes.
 */
final class OutboxRoute implements HttpHandler {

    static final String PREFIX = "/local/outbox/";

    private final Outbox outbox;
    private final ApiKeys keys;

    OutboxRoute(Outbox outbox, ApiKeys keys) {
        this.outbox = outbox;
        this.keys = keys;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Http.send(exchange, answer(exchange));
        }
    }

    private ApiResponse answer(HttpExchange exchange) {
        if (!exchange.getRequestMethod().equals("GET")) {
            return Problem.of(405, "method-not-allowed", "Method not allowed", "use GET")
                    .withHeader("allow", "GET");
        }
        if (!keys.accepts(Optional.ofNullable(exchange.getRequestHeaders().getFirst(ApiKeys.HEADER)))) {
            return Problem.of(
                            401, "unauthorized", "Unauthorized", "send an API key in the " + ApiKeys.HEADER + " header")
                    .withHeader("www-authenticate", "ApiKey");
        }
        TenantId tenant;
        try {
            tenant = TenantId.of(exchange.getRequestURI().getPath().substring(PREFIX.length()));
        } catch (InvalidValueException bad) {
            return Problem.invalidField("id", bad.problem());
        }
        return outbox.latest(tenant)
                .map(message -> ApiResponse.json(200, json(message)))
                .orElseGet(() -> Problem.of(404, "no-email", "No email yet", "nothing in the outbox for " + tenant));
    }

    private static Map<String, Object> json(OutboxMessage message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file", message.file().toString());
        body.put("date", message.date());
        body.put("from", message.from());
        body.put("to", message.to());
        body.put("subject", message.subject());
        body.put("text", message.text());
        body.put("html", message.html());
        return body;
    }
}
