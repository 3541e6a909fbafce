package dev.tenantprovisioner.lambda.wiring;

import dev.tenantprovisioner.adapters.resend.ResendSettings;
import dev.tenantprovisioner.http.wiring.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Reads the Resend mailer's settings from the environment. */
final class ResendEnv {

    private ResendEnv() {}

    static Optional<ResendSettings> from(Env env) {
        String apiKey = env.required("RESEND_API_KEY", "the Resend API key that sends the welcome email");
        String from =
                env.required("RESEND_FROM", "the sender, e.g. Acme <welcome@acme.dev>, on a domain verified at Resend");
        String subject = env.orDefault("WELCOME_SUBJECT", ResendSettings.DEFAULT_SUBJECT);
        Optional<String> replyTo = env.optional("WELCOME_REPLY_TO");
        Optional<Path> templates = env.optional("WELCOME_TEMPLATE_DIR").map(Path::of);
        int attempts = env.integer("RESEND_MAX_ATTEMPTS", ResendSettings.DEFAULT_MAX_ATTEMPTS, 1, 5);
        int pauseMillis =
                env.integer("RESEND_RETRY_PAUSE_MS", (int) ResendSettings.DEFAULT_RETRY_PAUSE.toMillis(), 0, 10_000);
        if (apiKey.isEmpty() || from.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ResendSettings(
                    apiKey, from, subject, replyTo, templates, attempts, Duration.ofMillis(pauseMillis)));
        } catch (IllegalArgumentException bad) {
            env.problem("Resend settings: " + bad.getMessage());
            return Optional.empty();
        }
    }
}
