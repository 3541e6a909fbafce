package dev.tenantprovisioner.adapters.aws.dynamodb;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Counts the HTTP requests the client actually sends, per operation, retries included. */
final class RequestCounter implements ExecutionInterceptor {

    private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        sent.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new AtomicLong())
                .incrementAndGet();
    }

    long total() {
        return sent.values().stream().mapToLong(AtomicLong::get).sum();
    }

    Map<String, Long> byOperation() {
        Map<String, Long> copy = new TreeMap<>();
        sent.forEach((operation, count) -> copy.put(operation, count.get()));
        return copy;
    }

    void reset() {
        sent.clear();
    }
}
