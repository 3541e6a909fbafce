package dev.tenantprovisioner.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code LOCAL_PROXY=caddy}: this machine's Caddy in front of the local tenants, run with the configuration the
 * provisioner serves every proxy (the routing code runs locally as on AWS). It starts from the routes of the moment,
 * then asks the runner's {@code GET /proxy/config} again every {@code PROXY_POLL_INTERVAL}. Caddy runs under a shell
 * that waits on a pipe from this JVM: when the runner ends, however it ends, the pipe closes and Caddy is stopped, so
 * no proxy outlives the runner and holds its port.
 */
final class LocalProxy implements AutoCloseable {

    private static final long START_SECONDS = 15;

    /** The proxy's log in the tenant logs' folder: its own lines and its access log, which idle suspension reads. */
    static final String LOG_FILE = "proxy.log";

    private final Process process;
    private final Path log;

    private LocalProxy(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The {@code caddy} on the {@code PATH}, if there is one. */
    static Optional<Path> findCaddy() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of(path.split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "caddy"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Starts Caddy in {@code folder} (its configuration, certificates and state) with {@code config} as its first
     * configuration, polling {@code configUrl} with {@code key}; returns once {@code listens} accepts connections.
     *
     * @throws CannotStart with one line naming the cause and the setting, when Caddy cannot start or does not listen
     */
    static LocalProxy start(
            Path caddy,
            Path folder,
            Path log,
            int apiPort,
            String config,
            URI configUrl,
            String key,
            InetSocketAddress listens) {
        Path file = folder.resolve("caddy.json");
        try {
            Files.createDirectories(folder);
            Files.createDirectories(log.getParent());
            Files.writeString(file, config, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CannotStart("cannot write the proxy's configuration in " + folder + " (" + e.getMessage()
                    + "): set LOCAL_PROXY_DIR to a folder this user can write");
        }
        if (!free(listens)) {
            throw new CannotStart("the proxy (caddy) cannot listen on " + listens.getHostString() + ":"
                    + listens.getPort() + ": something else listens there; set PROXY_PORT to a free port");
        }
        // "$0" is the caddy binary, "$1" its configuration. The shell waits for Caddy, so it ends when Caddy does (this
        // JVM sees Caddy's end as the shell's); beside it, cat reads the pipe from this JVM (kept as fd 3, since a
        // job in the background reads /dev/null otherwise) and stops Caddy when the pipe closes: the runner ended.
        ProcessBuilder builder = new ProcessBuilder(
                        "/bin/sh",
                        "-c",
                        "exec 3<&0 </dev/null; \"$0\" run --config \"$1\" 3<&- & pid=$!;"
                                + " { cat <&3 >/dev/null; kill $pid 2>/dev/null; } & wait $pid",
                        caddy.toString(),
                        file.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("TENANT_PROXY_CONFIG_URL", configUrl.toString());
        env.put("TENANT_PROXY_KEY", key);
        // Where a visit to a tenant asleep for idleness is sent: this runner's wake route, over plain HTTP on loopback.
        env.put("TENANT_PROXY_API_HOST", "127.0.0.1");
        env.put("TENANT_PROXY_API_PORT", Integer.toString(apiPort));
        // Caddy keeps its certificates under XDG_DATA_HOME and its last configuration under XDG_CONFIG_HOME.
        env.put("XDG_DATA_HOME", folder.resolve("data").toString());
        env.put("XDG_CONFIG_HOME", folder.resolve("config").toString());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CannotStart("cannot run " + caddy + " (LOCAL_PROXY=caddy): " + e.getMessage());
        }
        LocalProxy proxy = new LocalProxy(process, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (!accepts(listens)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                proxy.close();
                throw new CannotStart("the proxy (caddy) did not start listening on " + listens.getHostString() + ":"
                        + listens.getPort() + " (see LOCAL_PROXY, PROXY_PORT): " + proxy.lastLogLine());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                proxy.close();
                throw new CannotStart("interrupted while the proxy started");
            }
        }
        return proxy;
    }

    /** Whether nothing listens on {@code address} yet (it can be bound here, so Caddy can bind it too). */
    private static boolean free(InetSocketAddress address) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private String lastLogLine() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).contains("\"level\":\"error\"") || lines.get(i).startsWith("Error")) {
                    return lines.get(i);
                }
            }
            return lines.isEmpty() ? "no output (see " + log + ")" : lines.get(lines.size() - 1);
        } catch (IOException unreadable) {
            return "see " + log;
        }
    }

    /** Whether the proxy is still running. */
    boolean isRunning() {
        return process.isAlive();
    }

    /** Stops Caddy: the shell sees its pipe close and stops it, or, if that takes too long, both are killed. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException alreadyClosed) {
            // the shell is gone already
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
