package dev.tenantprovisioner.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Someone opening a link in real headless Chromium (Debian's {@code chromium}), from the test network's other host:
 * names resolve through that host's DNS, and certificates are checked against the roots Chromium trusts on Linux,
 * which include the NSS database in {@code $HOME/.pki/nssdb} (made here with {@code certutil}, Debian's
 * {@code libnss3-tools}). {@code --dump-dom} prints the page it loaded; on a TLS or certificate error it prints
 * nothing and says why on stderr (and still exits 0).
 */
final class Visitor {

    /** What the browser showed: the page's DOM, and what it logged. */
    record Page(String dom, String log) {}

    private final TestNetwork network;
    private final String chromium;
    private final Path home;
    private final AtomicInteger visits = new AtomicInteger();

    private Visitor(TestNetwork network, String chromium, Path home) {
        this.network = network;
        this.chromium = chromium;
        this.home = home;
    }

    /** Why no browser can visit here, if it cannot. */
    static Optional<String> unavailable() {
        if (!Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            return Optional.of("no Chromium here: sudo apt-get install chromium");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/certutil"))) {
            return Optional.of("no certutil to make Chromium trust a test CA: sudo apt-get install libnss3-tools");
        }
        return Optional.empty();
    }

    /** A browser in {@code network} that trusts the roots in {@code trusted} (PEM) besides its own. */
    static Visitor trusting(TestNetwork network, Path home, Path trusted) throws IOException, InterruptedException {
        Path nssdb = Files.createDirectories(home.resolve(".pki/nssdb"));
        run(List.of("/usr/bin/certutil", "-d", "sql:" + nssdb, "-N", "--empty-password"));
        run(List.of(
                "/usr/bin/certutil",
                "-d",
                "sql:" + nssdb,
                "-A",
                "-t",
                "C,,",
                "-n",
                "test-ca",
                "-i",
                trusted.toString()));
        return new Visitor(network, "/usr/bin/chromium", home);
    }

    Page open(String url) throws IOException, InterruptedException {
        Path profile = home.resolve("profile-" + visits.incrementAndGet());
        List<String> command = network.inside(List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--dump-dom",
                url));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(home.resolve("dom.txt").toFile())
                .redirectError(home.resolve("chromium.log").toFile());
        builder.environment().put("HOME", home.toString());
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not finish loading " + url + " in 90 s");
        }
        return new Page(
                Files.readString(home.resolve("dom.txt"), StandardCharsets.UTF_8),
                Files.readString(home.resolve("chromium.log"), StandardCharsets.UTF_8));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
