package dev.tenantprovisioner.adapters.local;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.TrafficMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The local runner's traffic monitor: it counts the connections to tenants' ports itself, from the kernel's socket
 * tables ({@code /proc/net/tcp} and {@code tcp6}; Linux's proc(5)), sampled every few seconds. A socket on a tenant's
 * port in any state but LISTEN (an open connection, or one in TIME_WAIT for a minute after it closed) means the app
 * was used then. Where those tables cannot be read (not Linux), it says so, and idle suspension leaves tenants
 * running.
 */
public final class ConnectionWatcher implements TrafficMonitor, AutoCloseable {

    /** proc(5): the {@code st} column, in hex; 0A is LISTEN. */
    private static final String LISTEN = "0A";

    private final List<Path> tables;
    private final Clock clock;
    private final Map<Integer, Instant> lastSeen = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler;
    private volatile Optional<String> unreadable = Optional.empty();

    public ConnectionWatcher(List<Path> tables, Clock clock, Duration every) {
        this.tables = List.copyOf(tables);
        this.clock = clock;
        this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "connection-watcher");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleWithFixedDelay(this::sample, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** This machine's socket tables, sampled every two seconds. */
    public static ConnectionWatcher ofThisMachine(Clock clock) {
        return new ConnectionWatcher(
                List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")), clock, Duration.ofSeconds(2));
    }

    @Override
    public Optional<Instant> lastActivity(Lease lease) {
        if (unreadable.isPresent()) {
            throw new InfrastructureException("cannot count connections here: " + unreadable.get(), false);
        }
        Instant seen = lease.port().map(port -> lastSeen.get(port.value())).orElse(null);
        // Traffic on the port before this container started was someone else's (a port is handed on).
        Optional<Instant> started = lease.startedAt();
        if (seen == null || (started.isPresent() && seen.isBefore(started.get()))) {
            return Optional.empty();
        }
        return Optional.of(seen);
    }

    /** One look at the socket tables; public so a test need not wait for the timer. */
    public void sample() {
        List<String> lines = new ArrayList<>();
        for (Path table : tables) {
            try {
                if (Files.isReadable(table)) {
                    lines.addAll(Files.readAllLines(table));
                }
            } catch (IOException e) {
                unreadable = Optional.of(table + ": " + e.getMessage());
                return;
            }
        }
        if (lines.isEmpty()) {
            unreadable = Optional.of("no socket table at " + tables);
            return;
        }
        unreadable = Optional.empty();
        Instant now = clock.instant();
        for (int port : activePorts(lines)) {
            lastSeen.put(port, now);
        }
    }

    /** The local ports with a socket in any state but LISTEN, from proc(5) socket table lines. */
    static Set<Integer> activePorts(List<String> lines) {
        Set<Integer> ports = new HashSet<>();
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            // sl local_address rem_address st ...; the header line has "local_address" in the same place.
            if (fields.length < 4 || !fields[0].endsWith(":") || fields[3].equalsIgnoreCase(LISTEN)) {
                continue;
            }
            String local = fields[1];
            int colon = local.lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            try {
                ports.add(Integer.parseInt(local.substring(colon + 1), 16));
            } catch (NumberFormatException notAPort) {
                // A line of another shape; nothing to count.
            }
        }
        return ports;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
