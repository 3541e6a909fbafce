package dev.tenantprovisioner.adapters.resend;

import static com.github.tomakehurst.wiremock.client.WireMock.serverError;

import dev.tenantprovisioner.adapters.resend.template.WelcomeTemplate;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.MailerContract;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Mailer contract against the real SDK, its real requests answered by a fake api.resend.com. */
class ResendMailerTest extends MailerContract {

    @RegisterExtension
    static final FakeResendApi resend = new FakeResendApi();

    private ResendMailer mailer;

    @BeforeEach
    void newMailer() {
        resend.reset();
        mailer = new ResendMailer(
                ResendSettings.of("re_contract_key", "Acme <welcome@acme.dev>"),
                WelcomeTemplate.bundled(),
                pause -> {});
    }

    @Override
    protected Mailer mailer() {
        return mailer;
    }

    @Override
    protected List<String> deliveredKeys() {
        return resend.acceptedKeys();
    }

    // "The next send" is every attempt the mailer makes for it, in-process retries included.
    @Override
    protected void givenProviderFailsOnce() {
        resend.nextRequestsAnswer(ResendSettings.DEFAULT_MAX_ATTEMPTS, serverError());
    }

    @Override
    protected void givenProviderRejects() {
        resend.alwaysAnswers(FakeResendApi.error(422, "validation_error", "Invalid `to` field."));
    }
}
