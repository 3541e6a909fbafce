package dev.tenantprovisioner.adapters.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One email in the outbox: the file, its headers (names in lowercase, values decoded) and both bodies. */
public record OutboxMessage(Path file, Map<String, String> headers, String text, String html) {

    public OutboxMessage {
        Objects.requireNonNull(file, "file");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    public String subject() {
        return header("subject").orElse("");
    }

    public String to() {
        return header("to").orElse("");
    }

    public String from() {
        return header("from").orElse("");
    }

    public String date() {
        return header("date").orElse("");
    }

    public Optional<String> tenant() {
        return header(OutboxMailer.TENANT_HEADER);
    }

    public Optional<String> idempotencyKey() {
        return header(OutboxMailer.KEY_HEADER);
    }
}
