package dev.tenantprovisioner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local runner under requests a browser never sends: raw sockets, as a hostile or broken client writes them. */
class LocalRunnerAbuseTest {

    @TempDir
    Path work;

    private Runner runner;

    @BeforeEach
    void start() throws IOException {
        runner = new Runner(work);
    }

    @AfterEach
    void stop() {
        runner.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), runner.runner.port());
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** Everything the server sends until it closes the connection (or, with keep-alive, one answer's worth). */
    private static String readAnswer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        try {
            while ((n = in.read(buffer)) > 0) {
                answer.write(buffer, 0, n);
                String text = answer.toString(StandardCharsets.UTF_8);
                int headersEnd = text.indexOf("\r\n\r\n");
                int length = text.toLowerCase().indexOf("content-length: ");
                if (headersEnd > 0 && length > 0) {
                    int end = text.indexOf("\r\n", length);
                    int declared =
                            Integer.parseInt(text.substring(length + 16, end).trim());
                    if (answer.size() >= headersEnd + 4 + declared) {
                        break;
                    }
                }
            }
        } catch (IOException closed) {
            // A reset after the answer was read is the server closing a connection whose body it will not read.
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private String post(String host, String extraHeaders, String body) throws IOException {
        try (Socket socket = connect()) {
            write(
                    socket,
                    "POST /provision HTTP/1.1\r\nHost: " + host + "\r\nx-api-key: " + Runner.API_KEY + "\r\n"
                            + extraHeaders + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                            + "\r\n\r\n" + body);
            return readAnswer(socket);
        }
    }

    @Test
    void givenA10GigabyteBodyAnnounced_whenOnlyItsFirstBytesAreSent_then413AtOnceAndNothingProvisioned()
            throws Exception {
        try (Socket socket = connect()) {
            write(
                    socket,
                    "POST /provision HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " + Runner.API_KEY + "\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n{\"userId\":\"big\",");

            String answer = readAnswer(socket);

            assertThat(answer)
                    .startsWith("HTTP/1.1 413")
                    .contains("body-too-large")
                    .contains("16384");
        }
        assertThat(runner.send("GET", "/tenants/big", null).statusCode()).isEqualTo(404);
    }

    @Test
    void givenAChunkedBodyOverTheCap_whenSent_then413AndNothingProvisioned() throws Exception {
        String chunk = "x".repeat(8000);
        StringBuilder chunked = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            chunked.append(Integer.toHexString(chunk.length()))
                    .append("\r\n")
                    .append(chunk)
                    .append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        try (Socket socket = connect()) {
            write(
                    socket,
                    "POST /provision HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + Runner.API_KEY + "\r\n"
                            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked);

            assertThat(readAnswer(socket)).startsWith("HTTP/1.1 413").contains("body-too-large");
        }
    }

    @Test
    void givenHostsThatAreNotLoopbackNames_whenRequested_then421AndLoopbackNamesAreServed() throws Exception {
        String body = "{\"userId\":\"rebound\",\"email\":\"jane@example.com\"}";
        String json = "Content-Type: application/json\r\n";

        assertThat(post("attacker.example", json, body))
                .startsWith("HTTP/1.1 421")
                .contains("host-not-served");
        assertThat(post("127.0.0.1.attacker.example:" + runner.runner.port(), json, body))
                .startsWith("HTTP/1.1 421");
        assertThat(post("localhost.attacker.example", json, body)).startsWith("HTTP/1.1 421");
        assertThat(runner.send("GET", "/tenants/rebound", null).statusCode()).isEqualTo(404);

        assertThat(post("localhost:" + runner.runner.port(), json, body)).startsWith("HTTP/1.1 202");
        assertThat(post("[::1]:" + runner.runner.port(), json, body)).startsWith("HTTP/1.1 200");
        assertThat(post("app.localhost", json, body)).startsWith("HTTP/1.1 200");
    }

    @Test
    void givenAJsonRouteWithoutContentType_whenPosted_then415AndNothingProvisioned() throws Exception {
        String answer = post("127.0.0.1", "", "{\"userId\":\"untyped\",\"email\":\"jane@example.com\"}");

        assertThat(answer).startsWith("HTTP/1.1 415").contains("Content-Type: application/json");
        assertThat(runner.send("GET", "/tenants/untyped", null).statusCode()).isEqualTo(404);
    }

    @Test
    void givenMoreSlowClientsThanWorkers_whenARealRequestComes_thenItIsAnsweredAndTheSlowOnesAreCutOff()
            throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < LocalRunner.WORKERS + 16; i++) {
                Socket socket = connect();
                write(socket, "POST /provision HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // and never the rest
                slow.add(socket);
            }

            assertThat(runner.send("GET", "/tenants/nobody", null).statusCode()).isEqualTo(404);

            for (Socket socket : slow) {
                socket.setSoTimeout((LocalRunner.REQUEST_TIMEOUT_SECONDS + 20) * 1000);
                int read;
                try {
                    read = socket.getInputStream().read();
                } catch (SocketTimeoutException stillHeld) {
                    throw new AssertionError("a slow client was still connected after the request timeout");
                } catch (IOException reset) {
                    read = -1;
                }
                assertThat(read).as("the server closed the slow connection").isEqualTo(-1);
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }
}
