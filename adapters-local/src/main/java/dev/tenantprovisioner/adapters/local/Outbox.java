package dev.tenantprovisioner.adapters.local;

import dev.tenantprovisioner.domain.model.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the {@code .eml} files an {@link OutboxMailer} wrote, oldest first. */
public final class Outbox {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"([^\"]+)\"");

    private final Path directory;

    public Outbox(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    public List<OutboxMessage> messages() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".eml"))
                    .sorted(Comparator.comparing(Outbox::modified).thenComparing(Path::toString))
                    .toList();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        List<OutboxMessage> messages = new ArrayList<>();
        for (Path file : files) {
            read(file).ifPresent(messages::add);
        }
        return messages;
    }

    /** The newest message for the tenant, if any. */
    public Optional<OutboxMessage> latest(TenantId tenant) {
        List<OutboxMessage> all = messages();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).tenant().equals(Optional.of(tenant.value()))) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    static Optional<OutboxMessage> read(Path file) {
        String raw;
        try {
            raw = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException removed) {
            return Optional.empty();
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        int split = raw.indexOf(Eml.CRLF + Eml.CRLF);
        if (split < 0) {
            return Optional.empty();
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        Eml.headers(raw.substring(0, split)).forEach((name, value) -> headers.put(name, Eml.decodeHeaderValue(value)));
        Matcher boundary = BOUNDARY.matcher(headers.getOrDefault("content-type", ""));
        if (!boundary.find()) {
            return Optional.empty();
        }
        String text = "";
        String html = "";
        for (String part : raw.substring(split + 4).split("--" + Pattern.quote(boundary.group(1)))) {
            int partSplit = part.indexOf(Eml.CRLF + Eml.CRLF);
            if (partSplit < 0) {
                continue;
            }
            String type = Eml.headers(part.substring(0, partSplit).strip()).getOrDefault("content-type", "");
            String body = Eml.decodeQuotedPrintable(stripTrailingCrlf(part.substring(partSplit + 4)));
            if (type.startsWith("text/plain")) {
                text = body;
            } else if (type.startsWith("text/html")) {
                html = body;
            }
        }
        return Optional.of(new OutboxMessage(file, headers, text, html));
    }

    private static String stripTrailingCrlf(String body) {
        return body.endsWith(Eml.CRLF) ? body.substring(0, body.length() - 2) : body;
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException gone) {
            return FileTime.fromMillis(0);
        }
    }
}
