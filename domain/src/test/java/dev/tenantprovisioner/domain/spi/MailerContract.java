package dev.tenantprovisioner.domain.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.TenantId;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link Mailer} contract. Adapters extend it, return their mailer, report what reached the
 * provider as delivered, and arrange the provider's failures in the {@code given...} hooks.
 */
public abstract class MailerContract {

    protected abstract Mailer mailer();

    /** Idempotency keys of the messages the provider accepted for delivery, one per key, in order. */
    protected abstract List<String> deliveredKeys();

    /** The provider fails the next send with a transient error (a 5xx, a rate limit, a dropped connection). */
    protected abstract void givenProviderFailsOnce();

    /** The provider refuses the next send for good (a validation error). */
    protected abstract void givenProviderRejects();

    protected static WelcomeEmail aWelcome(String tenant) {
        return new WelcomeEmail(
                TenantId.of(tenant),
                Email.of(tenant + "@example.com"),
                new AccessUrl(URI.create("http://" + tenant + ".54.123.45.6.sslip.io:3001")),
                "welcome-" + tenant + "-g1");
    }

    @Test
    void givenWelcome_whenSent_thenDeliveredOnce() {
        mailer().sendWelcome(aWelcome("acme"));

        assertThat(deliveredKeys()).containsExactly("welcome-acme-g1");
    }

    @Test
    void givenSentWelcome_whenSentAgainWithSameKey_thenStillDeliveredOnce() {
        mailer().sendWelcome(aWelcome("acme"));

        mailer().sendWelcome(aWelcome("acme"));

        assertThat(deliveredKeys()).containsExactly("welcome-acme-g1");
    }

    @Test
    void givenTransientFailure_whenSending_thenRetryableAndNextSendDelivers() {
        givenProviderFailsOnce();

        assertThatThrownBy(() -> mailer().sendWelcome(aWelcome("acme")))
                .isInstanceOfSatisfying(
                        InfrastructureException.class,
                        e -> assertThat(e.retryable()).isTrue());
        mailer().sendWelcome(aWelcome("acme"));

        assertThat(deliveredKeys()).containsExactly("welcome-acme-g1");
    }

    @Test
    void givenRejection_whenSending_thenNotRetryable() {
        givenProviderRejects();

        assertThatThrownBy(() -> mailer().sendWelcome(aWelcome("acme")))
                .isInstanceOfSatisfying(
                        InfrastructureException.class,
                        e -> assertThat(e.retryable()).isFalse());
        assertThat(deliveredKeys()).isEmpty();
    }
}
