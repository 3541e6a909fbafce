package dev.tenantprovisioner.adapters.resend;

import com.resend.core.exception.ResendException;
import com.resend.core.net.RequestOptions;
import com.resend.services.emails.Emails;
import com.resend.services.emails.model.CreateEmailOptions;
import dev.tenantprovisioner.adapters.resend.template.WelcomeTemplate;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;

/**
 * Sends the welcome email through Resend's {@code POST /emails}, with the email's idempotency key as
 * Resend's {@code Idempotency-Key}: a repeat within 24 hours answers like the first and sends nothing.
 * Transient failures are retried briefly in-process with the same key; whatever still fails is thrown
 * as an {@link dev.tenantprovisioner.domain.spi.InfrastructureException} for the registry to record.
 */
public final class ResendMailer implements Mailer {

    private static final System.Logger LOG = System.getLogger(ResendMailer.class.getName());

    /** Waits between attempts; a seam so tests can see the pauses without spending them. */
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final ResendSettings settings;
    private final WelcomeTemplate template;
    private final Pause pause;
    // One Emails service, hence one OkHttp client and connection pool, for the mailer's life:
    // resend.emails() would build a new client, and a new TLS handshake, on every send.
    private final Emails emails;

    public ResendMailer(ResendSettings settings) {
        this(
                settings,
                settings.templateDirectory().map(WelcomeTemplate::fromDirectory).orElseGet(WelcomeTemplate::bundled),
                duration -> Thread.sleep(duration.toMillis()));
    }

    ResendMailer(ResendSettings settings, WelcomeTemplate template, Pause pause) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.template = Objects.requireNonNull(template, "template");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.emails = new Emails(settings.apiKey());
    }

    @Override
    public void sendWelcome(WelcomeEmail email) {
        CreateEmailOptions message = message(email);
        RequestOptions once = RequestOptions.builder()
                .setIdempotencyKey(email.idempotencyKey())
                .build();
        String context = "welcome email for " + email.tenant();
        for (int attempt = 1; ; attempt++) {
            ResendFailure failure = attempt(message, once);
            if (failure == null) {
                return;
            }
            if (!failure.retryable() || attempt >= settings.maxAttempts()) {
                throw failure.toException(
                        context + " (attempt " + attempt + " of " + settings.maxAttempts() + ")", settings.apiKey());
            }
            LOG.log(
                    Level.WARNING,
                    () -> failure.describe(
                            context + " failed, retrying in "
                                    + settings.retryPause().toMillis() + " ms",
                            settings.apiKey()));
            try {
                pause.sleep(settings.retryPause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ResendFailure.interrupted(e).toException(context, settings.apiKey());
            }
        }
    }

    /** Null when Resend accepted the message. */
    private ResendFailure attempt(CreateEmailOptions message, RequestOptions once) {
        try {
            emails.send(message, once);
            return null;
        } catch (ResendException e) {
            return ResendFailure.of(e);
        } catch (RuntimeException e) {
            return ResendFailure.ofNetwork(e).orElseThrow(() -> e);
        }
    }

    private CreateEmailOptions message(WelcomeEmail email) {
        WelcomeTemplate.Rendered rendered = template.render(
                settings.subject(),
                new WelcomeTemplate.Values(
                        email.tenant().value(),
                        email.to().value(),
                        email.accessUrl().toString()));
        CreateEmailOptions.Builder builder = CreateEmailOptions.builder()
                .from(settings.from())
                .to(email.to().value())
                .subject(rendered.subject())
                .html(rendered.html())
                .text(rendered.text());
        settings.replyTo().ifPresent(builder::replyTo);
        return builder.build();
    }
}
