package bench.hello;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** The baseline: what the JVM, the runtime client and event (de)serialisation cost with no application at all. */
public final class HelloHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Map.of(
                "statusCode",
                200,
                "headers",
                Map.of("content-type", "application/json"),
                "body",
                "{\"hello\":\"" + event.get("rawPath") + "\"}");
    }
}
