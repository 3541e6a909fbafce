package dev.tenantprovisioner.adapters.resend;

import dev.tenantprovisioner.adapters.resend.template.WelcomeTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the welcome email is sent: the Resend API key, the sender ({@code Acme <welcome@acme.dev>}), the
 * subject (it may use the template's placeholders), an optional reply-to, an optional folder holding a
 * replacement {@code welcome.html} and {@code welcome.txt}, and the brief in-process retry.
 */
public record ResendSettings(
        String apiKey,
        String from,
        String subject,
        Optional<String> replyTo,
        Optional<Path> templateDirectory,
        int maxAttempts,
        Duration retryPause) {

    public static final String DEFAULT_SUBJECT = WelcomeTemplate.DEFAULT_SUBJECT;
    /** One send and one retry: the Lambda stays short, and the registry's PENDING state covers the rest. */
    public static final int DEFAULT_MAX_ATTEMPTS = 2;
    /** Resend allows about 2 requests a second per team; a full second lets its rate window pass. */
    public static final Duration DEFAULT_RETRY_PAUSE = Duration.ofSeconds(1);

    public ResendSettings {
        Objects.requireNonNull(apiKey, "apiKey: must not be null");
        Objects.requireNonNull(from, "from: must not be null");
        Objects.requireNonNull(subject, "subject: must not be null");
        Objects.requireNonNull(replyTo, "replyTo: must not be null");
        Objects.requireNonNull(templateDirectory, "templateDirectory: must not be null");
        Objects.requireNonNull(retryPause, "retryPause: must not be null");
        if (apiKey.isBlank() || !apiKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // The message never repeats the key: settings errors end up in logs.
            throw new IllegalArgumentException("apiKey: must be non-blank printable ASCII without spaces");
        }
        if (from.isBlank()) {
            throw new IllegalArgumentException("from: must not be blank, e.g. Acme <welcome@acme.dev>");
        }
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject: must not be blank");
        }
        if (maxAttempts < 1 || maxAttempts > 5) {
            throw new IllegalArgumentException("maxAttempts: must be 1 to 5, was " + maxAttempts);
        }
        if (retryPause.isNegative() || retryPause.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("retryPause: must be 0 to 10 seconds, was " + retryPause);
        }
    }

    /** Settings with the default subject, no reply-to, the bundled template and the default retry. */
    public static ResendSettings of(String apiKey, String from) {
        return new ResendSettings(
                apiKey,
                from,
                DEFAULT_SUBJECT,
                Optional.empty(),
                Optional.empty(),
                DEFAULT_MAX_ATTEMPTS,
                DEFAULT_RETRY_PAUSE);
    }

    public ResendSettings withSubject(String newSubject) {
        return new ResendSettings(apiKey, from, newSubject, replyTo, templateDirectory, maxAttempts, retryPause);
    }

    public ResendSettings withReplyTo(String address) {
        return new ResendSettings(
                apiKey, from, subject, Optional.of(address), templateDirectory, maxAttempts, retryPause);
    }

    public ResendSettings withTemplateDirectory(Path directory) {
        return new ResendSettings(apiKey, from, subject, replyTo, Optional.of(directory), maxAttempts, retryPause);
    }

    public ResendSettings withRetry(int attempts, Duration pause) {
        return new ResendSettings(apiKey, from, subject, replyTo, templateDirectory, attempts, pause);
    }

    /** Leaves the API key out, so settings can be logged. */
    @Override
    public String toString() {
        return "ResendSettings[apiKey=***, from=" + from + ", subject=" + subject + ", replyTo=" + replyTo
                + ", templateDirectory=" + templateDirectory + ", maxAttempts=" + maxAttempts
                + ", retryPause=" + retryPause + "]";
    }
}
