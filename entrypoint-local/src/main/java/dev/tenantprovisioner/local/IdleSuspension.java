package dev.tenantprovisioner.local;

import dev.tenantprovisioner.adapters.local.ConnectionWatcher;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.TrafficMonitor;
import dev.tenantprovisioner.domain.usecase.SuspendIdleTenants;
import dev.tenantprovisioner.domain.usecase.SuspendTenant;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code IDLE_SUSPEND_AFTER} locally: the runner reads visits from the local proxy's access log ({@link
 * ProxyAccessLog}), or without the proxy counts connections to tenants' ports itself ({@link ConnectionWatcher}), and
 * puts to sleep, every half minute (or more often for short settings), a tenant that had none for that long; the next
 * visit through the proxy wakes it.
 */
final class IdleSuspension implements AutoCloseable {

    private final Optional<ConnectionWatcher> watcher;
    private final ScheduledExecutorService timer;

    private IdleSuspension(Optional<ConnectionWatcher> watcher, ScheduledExecutorService timer) {
        this.watcher = watcher;
        this.timer = timer;
    }

    /**
     * {@code proxyLog}: with the local proxy in front, visits are read from its access log; without it, from the
     * connections to tenants' ports.
     */
    static IdleSuspension start(
            PortRegistry registry,
            SuspendTenant suspend,
            Duration after,
            int limit,
            Optional<TrafficMonitor> proxyLog) {
        Clock clock = Clock.systemUTC();
        Optional<ConnectionWatcher> watcher =
                proxyLog.isPresent() ? Optional.empty() : Optional.of(ConnectionWatcher.ofThisMachine(clock));
        TrafficMonitor traffic =
                proxyLog.or(() -> watcher.map(TrafficMonitor.class::cast)).orElseThrow();
        SuspendIdleTenants idle = new SuspendIdleTenants(registry, suspend, traffic, after, clock);
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
        watcher.ifPresent(ConnectionWatcher::close);
    }
}
