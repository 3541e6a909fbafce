package dev.tenantprovisioner.adapters.aws.ecs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import dev.tenantprovisioner.domain.spi.StopReason;
import java.util.Arrays;

/**
 * Latency of the ECS adapter through the real SDK against the fake ECS on 127.0.0.1 (run by bench/ecs-runtime.sh,
 * not by the test suite). The first figure includes loading the SDK's classes and building the client.
 */
public final class EcsRuntimeBench {

    /** Usage: {@code EcsRuntimeBench [rounds, default 300]}. */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        FakeEcs fake = new FakeEcs();
        try (EcsWire wire = new EcsWire(fake)) {
            for (String operation : new String[] {"RunTask", "DescribeTasks", "StopTask"}) {
                wire.server.stubFor(
                        EcsWire.ecsCall(operation).willReturn(aResponse().withTransformers(FakeEcs.NAME)));
            }
            EcsSettings settings =
                    EcsSettings.of("tenants", "tenant-app", "app").withPublicHost(Ipv4Address.of("203.0.113.7"));
            long cold = System.nanoTime();
            EcsContainerRuntime runtime = wire.runtime(settings);
            runtime.start(spec(0));
            System.out.printf(
                    "first start (client built, SDK classes loaded): %.1f ms%n", (System.nanoTime() - cold) / 1e6);

            long[] start = new long[rounds];
            long[] status = new long[rounds];
            long[] stop = new long[rounds];
            for (int i = 1; i <= rounds; i++) {
                long t0 = System.nanoTime();
                TaskId task = ((StartOutcome.Started) runtime.start(spec(i))).task();
                long t1 = System.nanoTime();
                runtime.status(task);
                long t2 = System.nanoTime();
                runtime.stop(task, TenantId.of("t" + i), StopReason.DEPROVISION);
                long t3 = System.nanoTime();
                start[i - 1] = t1 - t0;
                status[i - 1] = t2 - t1;
                stop[i - 1] = t3 - t2;
            }
            report("start (RunTask)", start);
            report("status (DescribeTasks)", status);
            report("stop (StopTask)", stop);
        }
    }

    private static ContainerSpec spec(int i) {
        return new ContainerSpec(TenantId.of("t" + i), HostPort.of(3000 + i), "t" + i + "-g1-r0");
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(
                "%-24s n=%d median %.2f ms  p90 %.2f ms  (warm)%n",
                what, sorted.length, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.9)] / 1e6);
    }
}
