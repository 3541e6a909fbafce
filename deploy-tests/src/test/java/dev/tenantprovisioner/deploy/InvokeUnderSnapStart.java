package dev.tenantprovisioner.deploy;

import com.amazonaws.services.lambda.runtime.api.client.EventHandlerLoader;
import com.amazonaws.services.lambda.runtime.api.client.HandlerInfo;
import com.amazonaws.services.lambda.runtime.api.client.LambdaRequestHandler;
import com.amazonaws.services.lambda.runtime.api.client.UserFault;
import com.amazonaws.services.lambda.runtime.api.client.runtimeapi.dto.InvocationRequest;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tenantprovisioner.lambda.HttpApiHandler;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the deployed jar's HTTP handler the way Lambda's Java runtime runs a SnapStart function
 * (aws-lambda-java-runtime-interface-client, {@code AWSLambda}): init, then the runtime hooks before the
 * checkpoint and after the restore through the runtime's own CRaC context, then one invocation per pair of
 * arguments ({@code METHOD /path body}, the body may be {@code -}). Prints {@code STATUS <code> <body>} per answer.
 * Started in a JVM of its own, with only the environment a SnapStart function gets.
 */
public final class InvokeUnderSnapStart {

    private InvokeUnderSnapStart() {}

    public static void main(String[] args) throws Exception {
        // The runtime client's native library, which its CRaC context needs (it clears the DNS cache before the
        // checkpoint); AWSLambda loads it the same way when it starts.
        com.amazonaws.services.lambda.runtime.api.client.runtimeapi.JniHelper.load();
        if (args[0].equals("--raw")) {
            invokeRaw(args[1], args[2]);
            return;
        }
        HttpApiHandler handler = new HttpApiHandler();
        com.amazonaws.services.lambda.crac.Core.getGlobalContext().beforeCheckpoint(null);
        com.amazonaws.services.lambda.crac.Core.getGlobalContext().afterRestore(null);
        String apiKey = args[0];
        for (int i = 1; i + 2 < args.length; i += 3) {
            String body = args[i + 2].equals("-") ? null : args[i + 2];
            APIGatewayV2HTTPResponse response = handler.handleRequest(event(args[i], args[i + 1], body, apiKey), null);
            System.out.println("STATUS " + response.getStatusCode() + " " + response.getBody());
        }
    }

    /**
     * {@code --raw <handler class> <JSON>}: the handler loaded and its input read by the runtime client itself
     * ({@code EventHandlerLoader}, the same deserialisation Lambda applies to an event), then one invocation with those
     * bytes. Prints {@code ANSWER <what the runtime would send back>}.
     */
    private static void invokeRaw(String handlerClass, String input) throws Exception {
        LambdaRequestHandler handler =
                EventHandlerLoader.loadEventHandler(new HandlerInfo(Class.forName(handlerClass), "handleRequest"));
        com.amazonaws.services.lambda.crac.Core.getGlobalContext().beforeCheckpoint(null);
        com.amazonaws.services.lambda.crac.Core.getGlobalContext().afterRestore(null);
        InvocationRequest request = new InvocationRequest();
        request.setId(UUID.randomUUID().toString());
        request.setInvokedFunctionArn("arn:aws:lambda:eu-west-1:123456789012:function:warmup:live");
        request.setDeadlineTimeInMs(System.currentTimeMillis() + 20_000);
        request.setContent(input.getBytes(StandardCharsets.UTF_8));
        try {
            System.out.println("ANSWER " + handler.call(request).toString(StandardCharsets.UTF_8));
        } catch (UserFault fault) {
            // What Lambda would report as the invocation's error: the handler's own exception, or the runtime's.
            System.out.println("FAULT " + fault.reportableError() + "\n" + fault.trace);
            throw fault;
        }
    }

    private static APIGatewayV2HTTPEvent event(String method, String path, String body, String apiKey) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRawPath(path)
                .withHeaders(Map.of("content-type", "application/json", "x-api-key", apiKey))
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId(UUID.randomUUID().toString())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(path)
                                .build())
                        .build())
                .build();
    }
}
