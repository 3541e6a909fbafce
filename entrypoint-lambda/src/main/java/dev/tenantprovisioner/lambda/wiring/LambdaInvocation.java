package dev.tenantprovisioner.lambda.wiring;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every log line of a Lambda invocation starts with: {@code awsRequestId}, {@code coldStart} (the first
 * invocation of this execution environment, or the first after a SnapStart restore), {@code functionName} and
 * {@code functionVersion}, from the invocation's {@link Context} (or, without one, Lambda's own environment
 * variables, https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 */
public final class LambdaInvocation {

    private static final AtomicBoolean COLD = new AtomicBoolean(true);

    private LambdaInvocation() {}

    /** The fields of this invocation's lines; the first call of an environment is the cold start. */
    public static Map<String, Object> fields(Context context) {
        Optional<Context> known = Optional.ofNullable(context);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("awsRequestId", known.map(Context::getAwsRequestId).orElse("none"));
        fields.put("coldStart", COLD.getAndSet(false));
        fields.put(
                "functionName",
                known.map(Context::getFunctionName)
                        .or(() -> Optional.ofNullable(System.getenv("AWS_LAMBDA_FUNCTION_NAME")))
                        .orElse("local"));
        fields.put(
                "functionVersion",
                known.map(Context::getFunctionVersion)
                        .or(() -> Optional.ofNullable(System.getenv("AWS_LAMBDA_FUNCTION_VERSION")))
                        .orElse("$LATEST"));
        return fields;
    }

    /** A SnapStart restore starts a new environment: its first invocation is a cold start again. */
    public static void restored() {
        COLD.set(true);
    }
}
