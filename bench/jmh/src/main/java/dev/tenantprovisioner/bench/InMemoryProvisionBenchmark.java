package dev.tenantprovisioner.bench;

import dev.tenantprovisioner.adapters.inmemory.InMemoryContainerRuntime;
import dev.tenantprovisioner.adapters.inmemory.InMemoryPortRegistry;
import dev.tenantprovisioner.adapters.inmemory.RecordingMailer;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.usecase.ProvisionCommand;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import dev.tenantprovisioner.domain.usecase.ProvisionTenant;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The in-memory provision path: the whole use case (find, allocate, start, observe, claim and send the
 * email, three checkpoints) on the in-memory adapters. {@code fresh} provisions a new tenant each time,
 * in a world per thread (a world holds up to 60,000 tenants and is renewed when full); {@code repeat}
 * re-provisions existing tenants of one world shared by all threads, so the threads contend on it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class InMemoryProvisionBenchmark {

    static final int TENANTS = 60_000;
    static final TenantId[] IDS = new TenantId[TENANTS];
    static final Email[] EMAILS = new Email[TENANTS];

    static {
        for (int i = 0; i < TENANTS; i++) {
            IDS[i] = TenantId.of("tenant-" + i);
            EMAILS[i] = Email.of("owner" + i + "@example.com");
        }
    }

    static ProvisionTenant newWorld() {
        return new ProvisionTenant(
                new InMemoryPortRegistry(PortPool.defaults()),
                new InMemoryContainerRuntime(),
                new RecordingMailer(),
                ProvisioningPolicy.defaults(),
                Clock.systemUTC());
    }

    @State(Scope.Thread)
    public static class FreshWorld {
        ProvisionTenant provision;
        int next;

        @Setup(Level.Iteration)
        public void renew() {
            provision = newWorld();
            next = 0;
        }

        ProvisionCommand nextCommand() {
            if (next == TENANTS) {
                renew();
            }
            int i = next++;
            return ProvisionCommand.of(IDS[i], EMAILS[i]);
        }
    }

    @State(Scope.Benchmark)
    public static class SharedWorld {
        static final int SHARED = 1_000;
        ProvisionTenant provision;

        @Setup(Level.Trial)
        public void populate() {
            provision = newWorld();
            for (int i = 0; i < SHARED; i++) {
                provision.provision(ProvisionCommand.of(IDS[i], EMAILS[i]));
            }
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public ProvisionOutcome fresh(FreshWorld world) {
        return world.provision.provision(world.nextCommand());
    }

    @Benchmark
    public ProvisionOutcome repeat(SharedWorld world, Cursor cursor) {
        int i = cursor.next++ % SharedWorld.SHARED;
        return world.provision.provision(ProvisionCommand.of(IDS[i], EMAILS[i]));
    }
}
