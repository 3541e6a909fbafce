package dev.tenantprovisioner.lambda.wiring;

import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
import java.util.function.Supplier;

/**
 * Builds the real mailer on the first send. With the default policy the email goes out when the task
 * runs (an ECS event, later), so the HTTP client behind it would only slow the first signup's cold start.
 */
final class LazyMailer implements Mailer {

    private final Supplier<Mailer> factory;
    private volatile Mailer mailer;

    LazyMailer(Supplier<Mailer> factory) {
        this.factory = factory;
    }

    @Override
    public void sendWelcome(WelcomeEmail email) {
        delegate().sendWelcome(email);
    }

    /** Builds the real mailer now: before a snapshot, where its cost is paid once per version, not per start. */
    void prime() {
        delegate();
    }

    private Mailer delegate() {
        Mailer current = mailer;
        if (current == null) {
            synchronized (this) {
                current = mailer;
                if (current == null) {
                    current = factory.get();
                    mailer = current;
                }
            }
        }
        return current;
    }
}
