package dev.tenantprovisioner.adapters.http;

import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.spi.LinkProbe;
import dev.tenantprovisioner.domain.spi.Readiness;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Asks a tenant's link with one HTTP/1.1 {@code GET}, as a browser would reach it: to the address the link's name
 * points at (like {@code curl --resolve}), with the name as {@code Host} and, over HTTPS, as the TLS server name,
 * checking the certificate against the trust store given (the JVM's by default, which holds Let's Encrypt's roots).
 * So it checks the proxy, its route and the certificate; it does not check public DNS, which sslip.io answers from the
 * name itself. An answer the proxy marks as its own ({@value #PROXY_HEADER}: no route yet, suspended) is not the
 * tenant's app, and not ready.
 *
 * <p>A probe waits for up to {@code patience}, asking again every {@code interval}: the app's start, the proxy's next
 * look at its routes and a first certificate take seconds, and a caller that can wait (the function that sees the task
 * run) saves a later round.
 */
public final class HttpLinkProbe implements LinkProbe {

    /** The header with which the proxy marks the answers it makes itself, instead of the tenant's app. */
    public static final String PROXY_HEADER = "Tenant-Proxy";

    private static final int MAX_HEAD_BYTES = 16 * 1024;

    private final SSLContext tls;
    private final String path;
    private final Duration timeout;
    private final Duration patience;
    private final Duration interval;

    public HttpLinkProbe(SSLContext tls, String path, Duration timeout, Duration patience, Duration interval) {
        this.tls = Objects.requireNonNull(tls, "tls");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("path: must start with / and hold no spaces, was '" + path + "'");
        }
        this.path = path;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.patience = Objects.requireNonNull(patience, "patience");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /**
     * Asks {@code path}, five seconds a request, once a second for up to {@code patience}, trusting the JVM's roots and
     * those in {@code extraRoots} (a PEM file: a private or test certificate authority).
     *
     * @throws IllegalArgumentException if the file cannot be read or holds no certificate
     */
    public static HttpLinkProbe trusting(Optional<Path> extraRoots, String path, Duration patience) {
        return new HttpLinkProbe(tls(extraRoots), path, Duration.ofSeconds(5), patience, Duration.ofSeconds(1));
    }

    private static SSLContext tls(Optional<Path> extraRoots) {
        try {
            if (extraRoots.isEmpty()) {
                return SSLContext.getDefault();
            }
            TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jvm.init((KeyStore) null);
            KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
            roots.load(null, null);
            int n = 0;
            for (TrustManager manager : jvm.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate root : x509.getAcceptedIssuers()) {
                        roots.setCertificateEntry("jvm-" + n++, root);
                    }
                }
            }
            int extra = 0;
            try (InputStream in = Files.newInputStream(extraRoots.get())) {
                for (Certificate root : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    roots.setCertificateEntry("extra-" + extra++, root);
                }
            }
            if (extra == 0) {
                throw new IllegalArgumentException(extraRoots.get() + " holds no PEM certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(roots);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException unreadable) {
            throw new IllegalArgumentException(
                    "cannot read the roots in " + extraRoots.orElse(null) + ": " + unreadable.getMessage(), unreadable);
        }
    }

    @Override
    public Readiness probe(AccessUrl link, Optional<Ipv4Address> address) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Readiness answer = once(link.value(), address);
            if (answer instanceof Readiness.Ready || System.nanoTime() + interval.toNanos() > deadline) {
                return answer;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return answer;
            }
        }
    }

    private Readiness once(URI link, Optional<Ipv4Address> address) {
        boolean secure = "https".equals(link.getScheme());
        String name = link.getHost();
        int port = link.getPort() != -1 ? link.getPort() : secure ? 443 : 80;
        int millis = (int) timeout.toMillis();
        try (Socket plain = new Socket()) {
            InetAddress target =
                    address.isPresent() ? InetAddress.getByName(address.get().value()) : InetAddress.getByName(name);
            plain.connect(new InetSocketAddress(target, port), millis);
            plain.setSoTimeout(millis);
            Socket socket = secure ? handshake(plain, name, port) : plain;
            String host = link.getPort() == -1 ? name : name + ":" + port;
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host
                            + "\r\nUser-Agent: tenant-provisioner-readiness\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return answer(head(socket.getInputStream()));
        } catch (UnknownHostException unknown) {
            return new Readiness.NotReady(name + " does not resolve");
        } catch (ConnectException refused) {
            return new Readiness.NotReady("connection refused at port " + port);
        } catch (SocketTimeoutException silent) {
            return new Readiness.NotReady("no answer within " + timeout.toMillis() + " ms");
        } catch (SSLException tlsFailed) {
            return new Readiness.NotReady("TLS failed: " + tlsFailed.getMessage());
        } catch (IOException failed) {
            return new Readiness.NotReady(failed.getClass().getSimpleName() + ": " + failed.getMessage());
        }
    }

    private Socket handshake(Socket plain, String name, int port) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, name, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        // The name is checked against the certificate as a browser does, and sent as SNI so the proxy picks the
        // tenant's certificate (and, on demand, asks for one).
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setServerNames(List.of(new SNIHostName(name)));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** The status line and headers of the answer, up to the blank line. */
    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && head.length() < MAX_HEAD_BYTES) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    private static Readiness answer(String head) {
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/") || !status[1].matches("[0-9]{3}")) {
            return new Readiness.NotReady(
                    head.isEmpty() ? "the connection closed without an answer" : "not an HTTP answer: " + lines[0]);
        }
        int code = Integer.parseInt(status[1]);
        String marker = PROXY_HEADER.toLowerCase(Locale.ROOT) + ":";
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith(marker)) {
                return new Readiness.NotReady("the proxy answered " + code + " itself ("
                        + line.substring(marker.length()).strip() + "), not the tenant's app");
            }
        }
        return code < 500 ? new Readiness.Ready(code) : new Readiness.NotReady("HTTP " + code);
    }
}
