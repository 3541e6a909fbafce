package dev.tenantprovisioner.bench.coldstart;

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
                client.setTcpNoDelay(true);
                Thread connection = new Thread(() -> relay(client), "timing-relay-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void relay(Socket client) {
        try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            upstream.setTcpNoDelay(true);
            InputStream fromClient = client.getInputStream();
            OutputStream toClient = client.getOutputStream();
            InputStream fromUpstream = upstream.getInputStream();
            OutputStream toUpstream = upstream.getOutputStream();
            HttpMessage request;
            while ((request = HttpMessage.read(fromClient, false)) != null) {
                long start = System.nanoTime();
                toUpstream.write(request.raw());
                toUpstream.flush();
                HttpMessage answer = HttpMessage.read(fromUpstream, true);
                time.add(System.nanoTime() - start);
                toClient.write(answer.raw());
                toClient.flush();
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
