package dev.tenantprovisioner.adapters.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Counting connections to a tenant's port from the kernel's socket tables. */
class ConnectionWatcherTest {

    /** Lines as proc(5) documents /proc/net/tcp: a listener on 8100 (0x1FA4), a connection to it, one elsewhere. */
    private static final List<String> TABLE = List.of(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:1FA4 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001",
            "   1: 0100007F:1FA4 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 1002",
            "   2: 0100007F:D431 0100007F:1FA4 01 00000000:00000000 00:00000000 00000000     0        0 1003",
            "   3: 0100007F:1FA5 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1004");

    private static Lease lease(int port, Instant startedAt) {
        return Lease.granted(
                        TenantId.of("acme"), Email.of("a@example.com"), HostPort.of(port), Optional.empty(), startedAt)
                .started(TaskId.of("local-1"), startedAt);
    }

    @Test
    void givenSocketTableLines_whenParsed_thenPortsWithAConnectionCountAndListenersDoNot() {
        assertThat(ConnectionWatcher.activePorts(TABLE)).containsExactlyInAnyOrder(8100, 54321);
    }

    @Test
    void givenARealConnectionToATenantsPort_whenSampled_thenItsTimeIsTheLastActivity() throws Exception {
        try (ServerSocket tenant = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                ConnectionWatcher watcher = new ConnectionWatcher(
                        List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")),
                        Clock.systemUTC(),
                        Duration.ofHours(1))) {
            Instant started = Instant.now().minusSeconds(60);
            Lease lease = lease(tenant.getLocalPort(), started);
            watcher.sample();
            assertThat(watcher.lastActivity(lease))
                    .as("a listener alone is no traffic")
                    .isEmpty();

            try (Socket visitor = new Socket(InetAddress.getLoopbackAddress(), tenant.getLocalPort());
                    Socket accepted = tenant.accept();
                    InputStream ignored = accepted.getInputStream()) {
                watcher.sample();
            }

            assertThat(watcher.lastActivity(lease))
                    .hasValueSatisfying(seen -> assertThat(seen).isAfter(started));
            assertThat(watcher.lastActivity(
                            lease(tenant.getLocalPort(), Instant.now().plusSeconds(60))))
                    .as("traffic before the container started was not this container's")
                    .isEmpty();
        }
    }

    @Test
    void givenNoSocketTables_whenAsked_thenItSaysItCannotTellInsteadOfGuessing() {
        try (ConnectionWatcher watcher = new ConnectionWatcher(
                List.of(Path.of("/nonexistent/net/tcp")), Clock.systemUTC(), Duration.ofHours(1))) {
            watcher.sample();

            assertThatThrownBy(() -> watcher.lastActivity(lease(8100, Instant.now())))
                    .isInstanceOf(InfrastructureException.class)
                    .hasMessageContaining("cannot count connections");
        }
    }
}
