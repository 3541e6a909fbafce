package dev.tenantprovisioner.bench.coldstart;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * An HTTP/1.1 relay in front of a local stand-in (moto, the ECS fake): it passes each request and answer through and
 * adds the time between a complete request and its answer passed back to {@link BackendTime}, and counts the
 * connections the function opens.
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
                time.connected();
                client.setTcpNoDelay(true);
                Thread connection = new Thread(() -> relay(client), "timing-relay-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /**
     * Passes requests on and answers back, keeping the function's connection open as DynamoDB and ECS do. Moto closes
     * every connection after one answer ({@code Connection: close}); the relay then opens a new one to moto for the next
     * request and drops that header from the answer, so the function is not made to connect anew for every call, which
     * the real services would not make it do. Each call counts from its request being complete to its answer being
     * passed back, so the relay's own work and its connections to the stand-in are on the loopback side of the books.
     */
    private void relay(Socket client) {
        Socket upstream = null;
        try (client) {
            InputStream fromClient = new BufferedInputStream(client.getInputStream());
            OutputStream toClient = client.getOutputStream();
            InputStream fromUpstream = null;
            OutputStream toUpstream = null;
            HttpMessage request;
            while ((request = HttpMessage.read(fromClient, false)) != null) {
                long start = System.nanoTime();
                if (upstream == null) {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                    upstream.setTcpNoDelay(true);
                    fromUpstream = new BufferedInputStream(upstream.getInputStream());
                    toUpstream = upstream.getOutputStream();
                }
                toUpstream.write(request.raw());
                toUpstream.flush();
                HttpMessage answer = HttpMessage.read(fromUpstream, true);
                if (answer.closesConnection()) {
                    upstream.close();
                    upstream = null;
                }
                toClient.write(answer.keptAlive());
                toClient.flush();
                time.add(System.nanoTime() - start);
            }
        } catch (IOException gone) {
            // Either side closed; the SDK opens a new connection when it needs one.
        } finally {
            if (upstream != null) {
                try {
                    upstream.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
