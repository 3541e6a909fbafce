package dev.tenantprovisioner.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A second host on this machine for a test: a network namespace joined to this one by a veth pair on a /30 of its
 * own, whose {@code /etc/resolv.conf} ({@code ip netns exec} mounts {@code /etc/netns/<name>/resolv.conf} over it) names
 * a DNS server on this side. A browser run there resolves names as on any machine, through that server, and reaches
 * this side's address only over the wire, as a visitor from elsewhere would.
 */
final class TestNetwork implements AutoCloseable {

    final String name;
    /** This side's address: where the proxy and the DNS stand-in listen. */
    final String hostAddress;
    /** The namespace's address. */
    final String visitorAddress;

    private TestNetwork(String name, String hostAddress, String visitorAddress) {
        this.name = name;
        this.hostAddress = hostAddress;
        this.visitorAddress = visitorAddress;
    }

    /** Why no test network can be made here, if it cannot (not root, no {@code ip}). */
    static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of(
                    "network namespaces need root (ip netns); this build runs as " + System.getProperty("user.name"));
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))) {
            return Optional.of("no ip command (sudo apt-get install iproute2)");
        }
        return Optional.empty();
    }

    /** A namespace whose resolver is {@code hostAddress} port 53, where the test starts its DNS stand-in. */
    static TestNetwork create() throws IOException, InterruptedException {
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(0x10000), 4);
        int subnet = ThreadLocalRandom.current().nextInt(0, 64) * 4;
        int third = ThreadLocalRandom.current().nextInt(1, 255);
        String prefix = "10.231." + third + ".";
        TestNetwork network = new TestNetwork("tpv" + id, prefix + (subnet + 1), prefix + (subnet + 2));
        String outside = "tpv" + id + "a";
        String inside = "tpv" + id + "b";
        try {
            run("ip", "netns", "add", network.name);
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
            run("ip", "link", "set", inside, "netns", network.name);
            run("ip", "addr", "add", network.hostAddress + "/30", "dev", outside);
            run("ip", "link", "set", outside, "up");
            run(
                    "ip",
                    "netns",
                    "exec",
                    network.name,
                    "ip",
                    "addr",
                    "add",
                    network.visitorAddress + "/30",
                    "dev",
                    inside);
            run("ip", "netns", "exec", network.name, "ip", "link", "set", inside, "up");
            run("ip", "netns", "exec", network.name, "ip", "link", "set", "lo", "up");
            Path resolv = Path.of("/etc/netns", network.name, "resolv.conf");
            Files.createDirectories(resolv.getParent());
            Files.writeString(resolv, "nameserver " + network.hostAddress + "\n", StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException failed) {
            network.close();
            throw failed;
        }
        return network;
    }

    /** {@code command} run inside the namespace. */
    List<String> inside(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }

    /** Removes the namespace (and so the veth pair) and its resolv.conf. */
    @Override
    public void close() {
        try {
            run("ip", "netns", "del", name);
        } catch (IOException | InterruptedException gone) {
            // nothing was made, or it is gone already
        }
        try {
            Path folder = Path.of("/etc/netns", name);
            Files.deleteIfExists(folder.resolve("resolv.conf"));
            Files.deleteIfExists(folder);
        } catch (IOException gone) {
            // nothing to remove
        }
    }
}
