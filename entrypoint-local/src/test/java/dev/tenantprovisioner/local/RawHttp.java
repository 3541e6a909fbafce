package dev.tenantprovisioner.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 request to an address with a {@code Host} header of the test's choosing (what a browser sends for a
 * name that resolves there), over TLS with that name as the server name if {@code tls} is given: for talking to the
 * proxy by name without DNS.
 */
final class RawHttp {

    record Answer(int status, Map<String, String> headers, String body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    private RawHttp() {}

    static Answer get(InetSocketAddress address, String host) throws IOException {
        return get(address, host, Optional.empty());
    }

    /** As a browser asks: with {@code accept} as its {@code Accept} header. */
    static Answer get(InetSocketAddress address, String host, String accept) throws IOException {
        return get(address, host, Optional.empty(), host, "Accept: " + accept + "\r\n");
    }

    static Answer get(InetSocketAddress address, String host, Optional<SSLContext> tls) throws IOException {
        String name = host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        return get(address, host, tls, name, "");
    }

    /** Over TLS to {@code serverName} (the SNI and the certificate's name), with {@code host} as the Host header. */
    static Answer get(InetSocketAddress address, String host, Optional<SSLContext> tls, String serverName)
            throws IOException {
        return get(address, host, tls, serverName, "");
    }

    private static Answer get(
            InetSocketAddress address, String host, Optional<SSLContext> tls, String serverName, String headers)
            throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(address, 5_000);
            plain.setSoTimeout(20_000);
            Socket socket = plain;
            if (tls.isPresent()) {
                String name = serverName;
                SSLSocket secure =
                        (SSLSocket) tls.get().getSocketFactory().createSocket(plain, name, address.getPort(), true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setServerNames(List.of(new SNIHostName(name)));
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                socket = secure;
            }
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: proxy-test\r\n" + headers
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return parse(readAll(socket.getInputStream()));
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
    }

    private static Answer parse(String response) {
        int end = response.indexOf("\r\n\r\n");
        String head = end < 0 ? response : response.substring(0, end);
        String body = end < 0 ? "" : response.substring(end + 4);
        String[] lines = head.split("\r\n");
        if (lines.length == 0 || !lines[0].startsWith("HTTP/")) {
            throw new IllegalStateException("not an HTTP answer: " + response);
        }
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }
}
