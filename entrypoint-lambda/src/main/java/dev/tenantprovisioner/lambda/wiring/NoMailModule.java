package dev.tenantprovisioner.lambda.wiring;

import com.google.inject.AbstractModule;
import dev.tenantprovisioner.domain.spi.Mailer;

/**
 * For the function that leaves the welcome email to others (the HTTP API: its use cases run with
 * notifications elsewhere, so they never send). Its jar holds no mail client at all; a send would be a bug.
 */
final class NoMailModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(Mailer.class).toInstance(email -> {
            throw new IllegalStateException("this function leaves the welcome email of " + email.tenant()
                    + " to the task-event and sweep functions; nothing here may send it");
        });
    }
}
