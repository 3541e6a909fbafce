package dev.tenantprovisioner.adapters.inmemory;

import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.MailerContract;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
import java.util.List;
import java.util.stream.Collectors;

class RecordingMailerTest extends MailerContract {

    private final RecordingMailer mailer = new RecordingMailer();

    @Override
    protected Mailer mailer() {
        return mailer;
    }

    @Override
    protected List<String> deliveredKeys() {
        return mailer.delivered().stream().map(WelcomeEmail::idempotencyKey).collect(Collectors.toList());
    }

    @Override
    protected void givenProviderFailsOnce() {
        mailer.failNextSend(new InfrastructureException("provider answered 500", true));
    }

    @Override
    protected void givenProviderRejects() {
        mailer.failNextSend(new InfrastructureException("validation_error: invalid to address", false));
    }
}
