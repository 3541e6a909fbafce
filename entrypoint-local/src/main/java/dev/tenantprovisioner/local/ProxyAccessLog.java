package dev.tenantprovisioner.local;

import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.TrafficMonitor;
import dev.tenantprovisioner.http.Json;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * When each local tenant's link was last visited, from the local proxy's access log: the JSON lines Caddy writes for
 * every request to the tenants' server (logger {@code http.log.access.tenants}; their {@code ts} is when the request
 * ended, and {@code request.host} names the tenant by its first label), in the proxy's log file. Read on from where the
 * last look stopped, so a look costs what was written since. A proxy that is not running has seen no visits: then the
 * look fails, and nobody is suspended on it.
 */
final class ProxyAccessLog implements TrafficMonitor {

    private static final String ACCESS_LOGGER = dev.tenantprovisioner.http.proxy.ProxySettings.ACCESS_LOGGER;

    private final Path log;
    private final BooleanSupplier proxyRunning;
    private final Map<String, Instant> visited = new HashMap<>();
    private long readUpTo;
    private String partial = "";

    ProxyAccessLog(Path log, BooleanSupplier proxyRunning) {
        this.log = log;
        this.proxyRunning = proxyRunning;
    }

    @Override
    public synchronized TrafficMonitor snapshot() {
        if (!proxyRunning.getAsBoolean()) {
            throw new InfrastructureException(
                    "the local proxy is not running, so no visit could reach a tenant: nobody is suspended", true);
        }
        readNewLines();
        Map<String, Instant> seen = Map.copyOf(visited);
        return lease -> Optional.ofNullable(seen.get(lease.tenant().value()));
    }

    @Override
    public Optional<Instant> lastActivity(Lease lease) {
        return snapshot().lastActivity(lease);
    }

    private void readNewLines() {
        if (!Files.exists(log)) {
            return;
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            if (file.length() < readUpTo) {
                readUpTo = 0; // the file was started anew
                partial = "";
            }
            file.seek(readUpTo);
            byte[] added = new byte[(int) Math.min(file.length() - readUpTo, 64L * 1024 * 1024)];
            file.readFully(added);
            readUpTo += added.length;
            String text = partial + new String(added, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            partial = end < 0 ? text : text.substring(end + 1);
            if (end >= 0) {
                text.substring(0, end).lines().forEach(this::record);
            }
        } catch (IOException unreadable) {
            throw new InfrastructureException(
                    "cannot read the proxy's log " + log + ": " + unreadable.getMessage(), true);
        }
    }

    @SuppressWarnings("unchecked")
    private void record(String line) {
        if (!line.contains(ACCESS_LOGGER)) {
            return;
        }
        try {
            Map<String, Object> entry = Json.parseObject(line);
            if (!ACCESS_LOGGER.equals(entry.get("logger"))
                    || !(entry.get("request") instanceof Map<?, ?> request)
                    || !(request.get("host") instanceof String host)
                    || !(entry.get("ts") instanceof Number ts)) {
                return;
            }
            String label = host.split("[.:]", 2)[0];
            String tenant = TenantId.of(label).value();
            long millis = Math.round(ts.doubleValue() * 1000);
            visited.merge(tenant, Instant.ofEpochMilli(millis), (a, b) -> a.isAfter(b) ? a : b);
        } catch (Json.MalformedJsonException | InvalidValueException notAVisit) {
            // another line of the proxy's, or a name that names no tenant
        }
    }
}
