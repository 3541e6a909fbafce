package dev.tenantprovisioner.bench.coldstart;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The measurements of one build over all its runs. */
final class Figures {

    final List<Long> init = new ArrayList<>();
    final List<Long> firstInvocation = new ArrayList<>();
    final List<Long> firstResponse = new ArrayList<>();
    final List<Long> warm = new ArrayList<>();
    final List<Long> warmOverhead = new ArrayList<>();
    final List<Long> warmBackend = new ArrayList<>();
    /** Over all warm invocations: requests to the stand-ins and connections opened to them. */
    long warmInvocations;

    long warmRequests;
    long warmConnections;
    /** CPU time of the function's process over all warm invocations. */
    long warmCpuNanos;

    long classesBeforeFirstResponse = -1;
    String firstAnswer = "";

    double perInvocation(long count) {
        return warmInvocations == 0 ? Double.NaN : (double) count / warmInvocations;
    }

    static double medianMillis(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        double median =
                sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2.0;
        return median / 1_000_000.0;
    }
}
