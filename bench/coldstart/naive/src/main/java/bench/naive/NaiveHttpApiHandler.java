package bench.naive;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.tenantprovisioner.http.HttpApi;
import dev.tenantprovisioner.http.wiring.CoreModule;
import dev.tenantprovisioner.http.wiring.CoreSettings;
import dev.tenantprovisioner.http.wiring.Env;
import dev.tenantprovisioner.lambda.HttpApiHandler;

/**
 * The same HTTP API, wired the way a first version usually is: Guice in its default stage with its
 * bytecode generation on, and SDK clients built with every default (see {@link NaiveAdaptersModule}).
 */
public final class NaiveHttpApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final HttpApiHandler handler;

    public NaiveHttpApiHandler() {
        Env env = new Env(System.getenv());
        CoreSettings settings = CoreSettings.from(env);
        env.check();
        Injector injector = Guice.createInjector(new CoreModule(settings), new NaiveAdaptersModule(settings.ready()));
        handler = new HttpApiHandler(injector.getInstance(HttpApi.class));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return handler.handleRequest(event, context);
    }
}
