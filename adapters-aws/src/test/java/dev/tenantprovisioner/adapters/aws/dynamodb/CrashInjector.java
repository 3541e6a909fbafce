package dev.tenantprovisioner.adapters.aws.dynamodb;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Kills the caller at one point between requests: just before request {@code n} leaves, or just after
 * its answer came back but before the caller could act on it. The call then ends with {@link Crash}, as
 * if the process had died there.
 */
final class CrashInjector implements ExecutionInterceptor {

    enum When {
        BEFORE_SENDING,
        AFTER_ANSWER
    }

    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(String message) {
            super(message);
        }
    }

    private final When when;
    private final int request;
    private final AtomicInteger seen = new AtomicInteger();

    CrashInjector(When when, int request) {
        this.when = when;
        this.request = request;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (seen.incrementAndGet() == request && when == When.BEFORE_SENDING) {
            throw new Crash("died before sending request " + request);
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (seen.get() == request && when == When.AFTER_ANSWER) {
            throw new Crash("died after the answer to request " + request);
        }
    }

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (seen.get() == request && when == When.AFTER_ANSWER) {
            // Thrown, not returned: the SDK only accepts a returned exception of the original type.
            throw new Crash("died after the (failed) answer to request " + request);
        }
        return context.exception();
    }

    boolean fired() {
        return seen.get() >= request;
    }
}
