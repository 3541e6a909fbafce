package dev.tenantprovisioner.adapters.resend.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The welcome email's HTML and plain-text parts, with the placeholders {@code {{tenant}}},
 * {@code {{email}}} and {@code {{accessUrl}}}. Values are escaped in the HTML part and left as they are
 * in the text part and the subject. A template naming any other placeholder is refused when loaded, so a
 * typo in a replacement template fails at start-up rather than in a tenant's inbox. Plain Java: every
 * mailer renders it (Resend in production, the local outbox), so a tenant reads the same email either way.
 */
public final class WelcomeTemplate {

    /** The subject every mailer uses unless configured otherwise. */
    public static final String DEFAULT_SUBJECT = "Your {{tenant}} instance is ready";

    public static final String HTML_FILE = "welcome.html";
    public static final String TEXT_FILE = "welcome.txt";
    private static final Set<String> PLACEHOLDERS = Set.of("tenant", "email", "accessUrl");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");

    private final String html;
    private final String text;

    private WelcomeTemplate(String html, String text) {
        this.html = checked(html, HTML_FILE);
        this.text = checked(text, TEXT_FILE);
    }

    /** The template shipped with the adapter. */
    public static WelcomeTemplate bundled() {
        return new WelcomeTemplate(resource(HTML_FILE), resource(TEXT_FILE));
    }

    /** A replacement template: {@code welcome.html} and {@code welcome.txt} in {@code directory}. */
    public static WelcomeTemplate fromDirectory(Path directory) {
        return new WelcomeTemplate(file(directory.resolve(HTML_FILE)), file(directory.resolve(TEXT_FILE)));
    }

    public static WelcomeTemplate of(String html, String text) {
        return new WelcomeTemplate(Objects.requireNonNull(html, "html"), Objects.requireNonNull(text, "text"));
    }

    /** The email for these values, taken as they are: the caller need not have checked them. */
    public Rendered render(String subject, Values values) {
        Map<String, String> raw = values.asMap();
        return new Rendered(
                fill(checked(subject, "subject"), raw, UnaryOperator.identity()),
                fill(html, raw, Html::escape),
                fill(text, raw, UnaryOperator.identity()));
    }

    /** What goes into the placeholders. */
    public record Values(String tenant, String email, String accessUrl) {

        public Values {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(accessUrl, "accessUrl");
        }

        Map<String, String> asMap() {
            return Map.of("tenant", tenant, "email", email, "accessUrl", accessUrl);
        }
    }

    /** A filled-in email. */
    public record Rendered(String subject, String html, String text) {}

    // One pass over the template, so a value that itself looks like a placeholder is never expanded.
    private static String fill(String template, Map<String, String> values, UnaryOperator<String> escape) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder filled = new StringBuilder(template.length() + 128);
        while (matcher.find()) {
            matcher.appendReplacement(filled, Matcher.quoteReplacement(escape.apply(values.get(matcher.group(1)))));
        }
        matcher.appendTail(filled);
        return filled.toString();
    }

    private static String checked(String template, String name) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            if (!PLACEHOLDERS.contains(matcher.group(1))) {
                throw new IllegalArgumentException(name + ": unknown placeholder {{" + matcher.group(1)
                        + "}}; known are {{tenant}}, {{email}} and {{accessUrl}}");
            }
        }
        return template;
    }

    private static String resource(String name) {
        try (InputStream in = WelcomeTemplate.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("bundled template " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read bundled template " + name, e);
        }
    }

    private static String file(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read welcome template " + path, e);
        }
    }
}
