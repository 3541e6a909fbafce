package dev.tenantprovisioner.bench.coldstart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One HTTP/1.1 message read off a socket: start line, headers (names kept as sent) and body. */
record HttpMessage(String startLine, Map<String, String> headers, byte[] body, byte[] raw) {

    /** Reads one message; null when the peer closed the connection before sending one. */
    static HttpMessage read(InputStream in, boolean untilCloseWithoutLength) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside a message head");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked(in, head);
        } else if (untilCloseWithoutLength
                && !lines[0].startsWith("HTTP/1.1 204")
                && !lines[0].startsWith("HTTP/1.1 304")) {
            body = in.readAllBytes();
        } else {
            body = new byte[0];
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(head.toByteArray());
        if (!"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            raw.write(body);
        }
        return new HttpMessage(lines[0], headers, body, raw.toByteArray());
    }

    /** Reads a chunked body; the chunks are appended verbatim to {@code raw} so a relay can pass them on. */
    private static byte[] readChunked(InputStream in, ByteArrayOutputStream raw) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            raw.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            byte[] chunk = in.readNBytes(size + 2);
            raw.write(chunk);
            if (size == 0) {
                return body.toByteArray();
            }
            body.write(chunk, 0, size);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                text.append((char) b);
            }
        }
        return text.toString();
    }

    boolean closesConnection() {
        return "close".equalsIgnoreCase(headers.get("connection")) || startLine.startsWith("HTTP/1.0");
    }

    /** The message as sent, less a {@code Connection: close} header (the relay keeps its client's connection). */
    byte[] keptAlive() {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = text.substring(0, end).replaceAll("(?im)\r\nconnection:[ \t]*close[ \t]*(?=\r\n|$)", "");
        return (head + text.substring(end)).getBytes(StandardCharsets.ISO_8859_1);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
