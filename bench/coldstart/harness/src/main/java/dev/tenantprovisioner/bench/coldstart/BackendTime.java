package dev.tenantprovisioner.bench.coldstart;

import java.util.concurrent.atomic.LongAdder;

/**
 * Nanoseconds the loopback stand-ins spent answering, so the harness can take them out of an invocation, with the
 * requests they answered and the connections the function opened to them.
 */
final class BackendTime {

    private final LongAdder nanos = new LongAdder();
    private final LongAdder calls = new LongAdder();
    private final LongAdder connections = new LongAdder();

    void add(long elapsed) {
        nanos.add(elapsed);
        calls.increment();
    }

    long nanos() {
        return nanos.sum();
    }

    long calls() {
        return calls.sum();
    }

    void connected() {
        connections.increment();
    }

    long connections() {
        return connections.sum();
    }
}
