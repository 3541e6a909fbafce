package dev.tenantprovisioner.local;

import dev.tenantprovisioner.adapters.local.ConnectionWatcher;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.usecase.SuspendIdleTenants;
import dev.tenantprovisioner.domain.usecase.SuspendTenant;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code IDLE_SUSPEND_AFTER} locally: the runner counts connections to tenants' ports itself ({@link ConnectionWatcher})
 * and suspends, every half minute (or more often for short settings), a tenant that had none for that long.
 */
final class IdleSuspension implements AutoCloseable {

    private final ConnectionWatcher watcher;
    private final ScheduledExecutorService timer;

    private IdleSuspension(ConnectionWatcher watcher, ScheduledExecutorService timer) {
        this.watcher = watcher;
        this.timer = timer;
    }

    static IdleSuspension start(PortRegistry registry, SuspendTenant suspend, Duration after, int limit) {
        Clock clock = Clock.systemUTC();
        ConnectionWatcher watcher = ConnectionWatcher.ofThisMachine(clock);
        SuspendIdleTenants idle = new SuspendIdleTenants(registry, suspend, watcher, after, clock);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "idle-suspension");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, Math.min(30, after.toSeconds() / 4));
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        SuspendIdleTenants.Report report = idle.suspendIdle(limit);
                        if (report.suspended() > 0) {
                            System.out.println("suspended " + report.suspended() + " idle tenant(s)");
                        }
                    } catch (InfrastructureException | IllegalStateException notNow) {
                        System.err.println("idle suspension: " + notNow.getMessage());
                    }
                },
                every,
                every,
                TimeUnit.SECONDS);
        return new IdleSuspension(watcher, timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        watcher.close();
    }
}
