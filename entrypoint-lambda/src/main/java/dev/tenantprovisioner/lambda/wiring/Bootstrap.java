package dev.tenantprovisioner.lambda.wiring;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import java.util.List;
import java.util.Map;

/**
 * Builds the production object graph once per JVM, during Lambda init: configuration from the
 * environment (validated, all problems reported at once), the core module and the AWS adapters.
 */
public final class Bootstrap {

    static {
        // Guice's runtime bytecode generation (for AOP and fast reflection) costs start-up time we do not use.
        if (System.getProperty("guice_bytecode_gen_option") == null) {
            System.setProperty("guice_bytecode_gen_option", "DISABLED");
        }
    }

    private Bootstrap() {
    }

    private static final class Holder {
        static final Injector INJECTOR = Guice.createInjector(Stage.PRODUCTION, modules(System.getenv()));
    }

    /** An object of the production graph, which is created on first use and shared by every handler in this JVM. */
    public static <T> T production(Class<T> type) {
        return Holder.INJECTOR.getInstance(type);
    }

    /** The production modules for an environment; tests override the adapters with in-memory ones. */
    public static List<Module> modules(Map<String, String> environment) {
        Env env = new Env(environment);
        CoreSettings core = CoreSettings.from(env);
        AwsSettings aws = AwsSettings.from(env, core.policy().publicHost());
        env.check();
        return List.of(new CoreModule(core), new AwsAdaptersModule(aws));
    }
}
