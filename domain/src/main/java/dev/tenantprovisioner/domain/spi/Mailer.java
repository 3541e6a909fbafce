package dev.tenantprovisioner.domain.spi;

/**
 * Sends the tenant's welcome email. Two sends with the same {@link WelcomeEmail#idempotencyKey()}
 * deliver one message (within the provider's deduplication window, 24 hours at Resend); the registry's
 * record that the email went out covers the time after that.
 *
 * <p>Throws {@link InfrastructureException}: {@code retryable} for rate limits, provider outages and
 * network errors (nothing or an unknown outcome was delivered; send again with the same key), not
 * retryable when the provider refused the message itself (a send with the same content fails again).
 */
public interface Mailer {

    void sendWelcome(WelcomeEmail email);
}
