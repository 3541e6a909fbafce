package dev.tenantprovisioner.bench.coldstart;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * An HTTP/1.1 relay in front of a local server (moto): it passes each request and answer through
 * unchanged and adds the time between a complete request and its complete answer to {@link BackendTime}.
 */
final class TimingRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    private final BackendTime time;

    TimingRelay(int upstreamPort, BackendTime time) throws IOException {
        this.upstreamPort = upstreamPort;
        this.time = time;
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "timing-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                long acceptedAt = System.nanoTime();
                time.connected();
                client.setTcpNoDelay(true);
                Thread connection = new Thread(() -> relay(client, acceptedAt), "timing-relay-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /**
     * Moto closes every connection after one answer, so each SDK call arrives on a new connection: its time
     * counts from the accept, which puts the relay's own connection set-up on the loopback side of the books.
     */
    private void relay(Socket client, long acceptedAt) {
        try (client;
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            upstream.setTcpNoDelay(true);
            InputStream fromClient = new BufferedInputStream(client.getInputStream());
            OutputStream toClient = client.getOutputStream();
            InputStream fromUpstream = new BufferedInputStream(upstream.getInputStream());
            OutputStream toUpstream = upstream.getOutputStream();
            HttpMessage request;
            long start = acceptedAt;
            while ((request = HttpMessage.read(fromClient, false)) != null) {
                toUpstream.write(request.raw());
                toUpstream.flush();
                HttpMessage answer = HttpMessage.read(fromUpstream, true);
                toClient.write(answer.raw());
                toClient.flush();
                time.add(System.nanoTime() - start);
                // A later request on a kept-alive connection counts from when it was complete (slightly generous).
                start = System.nanoTime();
                if (answer.closesConnection()) {
                    return;
                }
            }
        } catch (IOException gone) {
            // Either side closed; the SDK opens a new connection when it needs one.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
