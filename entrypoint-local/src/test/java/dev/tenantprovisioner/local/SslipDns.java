package dev.tenantprovisioner.local;

import dev.tenantprovisioner.domain.model.WildcardDns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for sslip.io's DNS servers, for names under {@code sslip.io}: an A query is answered with the address
 * the name holds, by sslip.io's own rules ({@link WildcardDns}, written from github.com/cunnie/sslip.io
 * {@code xip/xip.go}); a name that holds none is NXDOMAIN; an AAAA query for a name that holds an IPv4 address has no
 * answer (NOERROR), as sslip.io answers it. Anything outside {@code sslip.io} is refused. UDP only, one question per
 * message (RFC 1035, section 4: header, question, answer; a pointer to the question's name in the answer).
 */
final class SslipDns implements AutoCloseable {

    private static final int A = 1;
    private static final int AAAA = 28;
    private static final int NOERROR = 0;
    private static final int NXDOMAIN = 3;
    private static final int REFUSED = 5;

    private final DatagramSocket socket;
    private final Thread server;
    /** Every name asked, for the test to show what the browser and the CA looked up. */
    final List<String> asked = new CopyOnWriteArrayList<>();

    private SslipDns(DatagramSocket socket) {
        this.socket = socket;
        this.server = new Thread(this::serve, "sslip-dns");
        this.server.setDaemon(true);
    }

    static SslipDns start(String address, int port) throws SocketException, IOException {
        SslipDns dns = new SslipDns(new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), port)));
        dns.server.start();
        return dns;
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket query = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(query);
                byte[] answer = answer(ByteBuffer.wrap(query.getData(), 0, query.getLength()));
                socket.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
            } catch (IOException | RuntimeException stopped) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private byte[] answer(ByteBuffer query) {
        short id = query.getShort();
        short flags = query.getShort();
        query.getShort(); // questions: one
        query.position(12);
        int nameStart = query.position();
        StringBuilder name = new StringBuilder();
        for (int length = query.get() & 0xff; length > 0; length = query.get() & 0xff) {
            byte[] label = new byte[length];
            query.get(label);
            name.append(name.length() == 0 ? "" : ".").append(new String(label, StandardCharsets.US_ASCII));
        }
        int type = query.getShort() & 0xffff;
        int questionEnd = query.position() + 2;
        String asked = name.toString().toLowerCase(Locale.ROOT);
        this.asked.add(asked + (type == A ? " A" : type == AAAA ? " AAAA" : " type " + type));
        Optional<String> address = asked.endsWith(".sslip.io") ? WildcardDns.sslip(asked) : Optional.empty();
        int code = !asked.endsWith(".sslip.io") ? REFUSED : address.isEmpty() ? NXDOMAIN : NOERROR;
        boolean answers = code == NOERROR && type == A;

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(12);
        header.putShort(id);
        // QR, the query's opcode and RD, AA (authoritative, as sslip.io's servers are), the response code.
        header.putShort((short) (0x8000 | (flags & 0x7900) | 0x0400 | code));
        header.putShort((short) 1);
        header.putShort((short) (answers ? 1 : 0));
        header.putShort((short) 0);
        header.putShort((short) 0);
        out.writeBytes(header.array());
        out.write(query.array(), query.arrayOffset() + nameStart, questionEnd - nameStart);
        if (answers) {
            ByteBuffer record = ByteBuffer.allocate(16);
            record.putShort((short) (0xc000 | nameStart)); // the question's name
            record.putShort((short) A);
            record.putShort((short) 1); // IN
            record.putInt(0); // no caching: every look-up asks again
            record.putShort((short) 4);
            for (String octet : address.get().split("\\.")) {
                record.put((byte) Integer.parseInt(octet));
            }
            out.writeBytes(record.array());
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        socket.close();
    }
}
