package dev.tenantprovisioner.lambda;

import java.util.Map;

/**
 * The scheduled warm-up every function gets (template.yaml): a published version that is not invoked for 14 days goes
 * {@code Inactive}, and its next invocation fails with {@code SnapStartNotReadyException} while Lambda makes a new
 * snapshot ("Your function version becomes Inactive when it hasn't been invoked for 14 days", Lambda developer guide,
 * SnapStart troubleshooting, https://docs.aws.amazon.com/lambda/latest/dg/snapstart-troubleshooting.html). An EventBridge
 * schedule sends each function the fixed input <code>{"warmup": true}</code> once a day, and each handler answers it at
 * once, without reading the registry or asking ECS: the invocation itself is what keeps the version in use.
 */
final class Warmup {

    /** The schedule's input, exactly as template.yaml gives it. */
    static final String INPUT = "{\"warmup\": true}";

    static final String ANSWER = "warm";

    private Warmup() {}

    /** Whether an event handed over as a JSON object (the sweep's and the task events' handlers) is the warm-up. */
    static boolean is(Map<String, Object> event) {
        return event != null && Boolean.TRUE.equals(event.get("warmup"));
    }
}
