package dev.tenantprovisioner.lambda.wiring;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import dev.tenantprovisioner.adapters.postgres.PostgresSettings;
import dev.tenantprovisioner.http.wiring.CoreModule;
import dev.tenantprovisioner.http.wiring.CoreSettings;
import dev.tenantprovisioner.http.wiring.Env;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds the production object graph once per JVM, during Lambda init: secrets from Secrets Manager,
 * configuration from the environment (validated, all problems reported at once), the core module and
 * the AWS adapters; then registers the SnapStart hooks that prime it before a snapshot and refresh what
 * must be unique after a restore.
 */
public final class Bootstrap {

    /** The JDK's idle time (seconds) of a kept-alive connection to a server (JDK 17.0.5+, 19+). */
    static final String KEEP_ALIVE_PROPERTY = "http.keepAlive.time.server";

    static final String KEEP_ALIVE_SECONDS = "60";

    static {
        // Guice's runtime bytecode generation (for AOP and fast reflection) costs start-up time we do not use.
        if (System.getProperty("guice_bytecode_gen_option") == null) {
            System.setProperty("guice_bytecode_gen_option", "DISABLED");
        }
        // The JDK closes a kept-alive connection after 5 s idle unless the server names a time, so a request more than
        // 5 s after the previous one would open new TCP and TLS connections to DynamoDB and ECS. A minute, as the SDK's
        // Apache client keeps them; one the server closed meanwhile is found closed before use and replaced.
        if (System.getProperty(KEEP_ALIVE_PROPERTY) == null) {
            System.setProperty(KEEP_ALIVE_PROPERTY, KEEP_ALIVE_SECONDS);
        }
    }

    /**
     * Which handler a function runs; it decides which settings are required (API keys only for the API, the mail
     * settings only where the welcome email is sent) and what is wired (no mail client in the API function).
     */
    public enum Function {
        HTTP_API(true, false),
        TASK_EVENTS(false, true),
        SWEEP(false, true);

        private final boolean servesApi;
        private final boolean sendsMail;

        Function(boolean servesApi, boolean sendsMail) {
            this.servesApi = servesApi;
            this.sendsMail = sendsMail;
        }

        /** Whether this function answers the HTTP API. */
        public boolean servesApi() {
            return servesApi;
        }

        /** Whether this function sends the welcome email (the API function leaves it to the others). */
        public boolean sendsMail() {
            return sendsMail;
        }
    }

    private static Injector injector;
    /** Held here because the CRaC context keeps its resources only weakly. */
    private static SnapStartHooks hooks;

    private Bootstrap() {}

    /** An object of the production graph, which is created on first use and shared by every handler in this JVM. */
    public static synchronized <T> T production(Function function, Class<T> type) {
        if (injector == null) {
            injector = Guice.createInjector(Stage.PRODUCTION, modules(function, System.getenv()));
            hooks = SnapStartHooks.register(injector, function);
        }
        return injector.getInstance(type);
    }

    /** The production modules of the HTTP API function for an environment; tests override the adapters. */
    public static List<Module> modules(Map<String, String> environment) {
        return modules(Function.HTTP_API, environment);
    }

    /** The production modules of {@code function} for an environment, with secrets read from Secrets Manager. */
    public static List<Module> modules(Function function, Map<String, String> environment) {
        try (SecretsManagerSource secrets = SecretsManagerSource.forEnvironment(environment)) {
            return modules(function, environment, secrets);
        }
    }

    /** The production modules of {@code function}, with secret settings read from {@code secrets}. */
    public static List<Module> modules(Function function, Map<String, String> environment, SecretSource secrets) {
        List<String> secretProblems = new ArrayList<>();
        Env env = new Env(SecretSettings.resolve(environment, secretProblems, secrets));
        secretProblems.forEach(env::problem);
        CoreSettings core = CoreSettings.from(env, function.servesApi());
        AwsSettings aws =
                AwsSettings.from(env, core.policy().publicHost(), core.proxy().isPresent());
        Optional<PostgresSettings> database = databaseSettings(env);
        // The API function's jar holds no mail client, so nothing on its path may name one.
        Supplier<Module> mail = function.sendsMail() ? MailModule.reading(env) : NoMailModule::new;
        env.check();
        CoreSettings settings = function.sendsMail() ? core : core.withNotificationsElsewhere();
        return List.of(
                new CoreModule(settings),
                new AwsAdaptersModule(aws, core.ready()),
                mail.get(),
                new DatabaseModule(database));
    }

    private static Optional<PostgresSettings> databaseSettings(Env env) {
        try {
            return PostgresSettings.from(env::optional);
        } catch (IllegalArgumentException bad) {
            env.problem(bad.getMessage());
            return Optional.empty();
        }
    }
}
