package dev.tenantprovisioner.bench.coldstart;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local Lambda Runtime API (the 2018-06-01 protocol) for one function process. Headers are written in
 * the exact case Lambda uses, because the runtime client's native code matches them byte for byte, and
 * each answer goes out in one write on a socket without Nagle, or every invocation waits on a delayed ACK.
 */
final class RuntimeApi implements AutoCloseable {

    /** What the function answered to one invocation, with the times the harness needs. */
    record Result(String requestId, long handedOutAt, long answeredAt, String body, boolean error) {
        long nanos() {
            return answeredAt - handedOutAt;
        }
    }

    private static final String PREFIX = "/2018-06-01/runtime/";

    private final ServerSocket server;
    private final BlockingQueue<String[]> pending = new LinkedBlockingQueue<>();
    private final BlockingQueue<Long> polls = new LinkedBlockingQueue<>();
    private final BlockingQueue<Result> results = new LinkedBlockingQueue<>();
    private final Map<String, Long> handedOut = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile String initError;
    private volatile long restoredAt;

    RuntimeApi() throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "runtime-api");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Queues an invocation; the function receives it on its next poll. */
    String invoke(String event) {
        String id = "bench-" + ids.incrementAndGet();
        pending.add(new String[] {id, event});
        return id;
    }

    /** Waits for the function to ask for work: the moment its init (or its previous invocation) is over. */
    long awaitPoll(long timeoutSeconds) throws InterruptedException, TimeoutException {
        Long at = polls.poll(timeoutSeconds, TimeUnit.SECONDS);
        failOnInitError();
        if (at == null) {
            throw new TimeoutException("the function did not poll within " + timeoutSeconds + " s");
        }
        return at;
    }

    /** When the function asked for its restore (nanoTime), or 0 if it did not. */
    long restoredAt() {
        return restoredAt;
    }

    Result awaitResult(long timeoutSeconds) throws InterruptedException, TimeoutException {
        Result result = results.poll(timeoutSeconds, TimeUnit.SECONDS);
        failOnInitError();
        if (result == null) {
            throw new TimeoutException("no answer within " + timeoutSeconds + " s");
        }
        return result;
    }

    private void failOnInitError() {
        if (initError != null) {
            throw new IllegalStateException("function init failed: " + initError);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                Thread connection = new Thread(() -> serve(socket), "runtime-api-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket;
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream()) {
            HttpMessage request;
            while ((request = HttpMessage.read(in, false)) != null) {
                long at = System.nanoTime();
                String[] line = request.startLine().split(" ");
                String path = line[1].startsWith(PREFIX) ? line[1].substring(PREFIX.length()) : line[1];
                if (line[0].equals("GET") && path.equals("invocation/next")) {
                    polls.add(at);
                    String[] next = pending.take();
                    byte[] body = next[1].getBytes(StandardCharsets.UTF_8);
                    String head = "HTTP/1.1 200 OK\r\n"
                            + "Content-Type: application/json\r\n"
                            + "Lambda-Runtime-Aws-Request-Id: " + next[0] + "\r\n"
                            + "Lambda-Runtime-Deadline-Ms: " + (System.currentTimeMillis() + 600_000) + "\r\n"
                            + "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:eu-west-1:123456789012:function:bench\r\n"
                            + "Lambda-Runtime-Trace-Id: Root=1-00000000-000000000000000000000000;Sampled=0\r\n"
                            + "Content-Length: " + body.length + "\r\n\r\n";
                    handedOut.put(next[0], System.nanoTime());
                    out.write(concat(head.getBytes(StandardCharsets.ISO_8859_1), body));
                    out.flush();
                } else if (path.startsWith("invocation/")) {
                    String id = path.substring("invocation/".length(), path.lastIndexOf('/'));
                    boolean error = path.endsWith("/error");
                    results.add(new Result(id, handedOut.getOrDefault(id, at), at, request.bodyText(), error));
                    accepted(out);
                } else if (line[0].equals("GET") && path.equals("restore/next")) {
                    // A SnapStart function asks for its restore after the beforeCheckpoint hooks; here it is restored
                    // at once.
                    restoredAt = at;
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } else if (path.equals("init/error")) {
                    initError = request.bodyText();
                    polls.add(at);
                    accepted(out);
                } else {
                    out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException gone) {
            // The function process ended; its connection goes with it.
        }
    }

    private static void accepted(OutputStream out) throws IOException {
        out.write(
                ("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
