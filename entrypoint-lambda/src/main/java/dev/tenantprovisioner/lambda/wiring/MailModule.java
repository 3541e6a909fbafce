package dev.tenantprovisioner.lambda.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tenantprovisioner.adapters.resend.ResendMailer;
import dev.tenantprovisioner.adapters.resend.ResendSettings;
import dev.tenantprovisioner.adapters.resend.template.WelcomeTemplate;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.http.wiring.Env;
import java.util.Optional;
import java.util.function.Supplier;

/** Binds the mailer to Resend, in the functions that send the welcome email (task events and the sweep). */
final class MailModule extends AbstractModule {

    private final ResendSettings settings;

    MailModule(ResendSettings settings) {
        this.settings = settings;
    }

    /** Reads the mail settings now (their problems go to {@code env}); the module is built once they were checked. */
    static Supplier<Module> reading(Env env) {
        Optional<ResendSettings> settings = ResendEnv.from(env);
        return () -> new MailModule(settings.orElseThrow());
    }

    @Override
    protected void configure() {
        bind(Mailer.class).to(LazyMailer.class);
    }

    @Provides
    @Singleton
    LazyMailer mailer() {
        // The template is checked now, so a misspelt placeholder still fails the init; the HTTP client waits.
        settings.templateDirectory().ifPresent(WelcomeTemplate::fromDirectory);
        return new LazyMailer(() -> new ResendMailer(settings));
    }
}
