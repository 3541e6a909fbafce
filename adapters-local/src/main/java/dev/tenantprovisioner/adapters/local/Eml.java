package dev.tenantprovisioner.adapters.local;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RFC 5322 / MIME pieces the outbox needs: header encoding (RFC 2047) and quoted-printable bodies
 * (RFC 2045), written with CRLF line ends, and read back for the ones this adapter wrote.
 */
final class Eml {

    static final String CRLF = "\r\n";
    private static final int QP_LINE = 76;
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?=");
    private static final Pattern MAILBOX = Pattern.compile("([^<]+)<([^<>]+)>");

    private Eml() {}

    /** A header value as is when it is printable ASCII, else as an RFC 2047 encoded word. */
    static String headerValue(String value) {
        boolean plain = value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        if (plain) {
            return value;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /** A mailbox {@code Name <address>}: only the display name may need encoding, never the address. */
    static String mailbox(String value) {
        Matcher named = MAILBOX.matcher(value);
        if (named.matches()) {
            return headerValue(named.group(1).trim()) + " <" + named.group(2) + ">";
        }
        return headerValue(value);
    }

    static String decodeHeaderValue(String value) {
        return ENCODED_WORD
                .matcher(value)
                .replaceAll(word -> Matcher.quoteReplacement(
                        new String(Base64.getDecoder().decode(word.group(1)), StandardCharsets.UTF_8)));
    }

    /** Quoted-printable with soft breaks so no line exceeds 76 characters. */
    static String quotedPrintable(String text) {
        StringBuilder out = new StringBuilder();
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        for (int l = 0; l < lines.length; l++) {
            byte[] bytes = lines[l].getBytes(StandardCharsets.UTF_8);
            int column = 0;
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i] & 0xff;
                boolean last = i == bytes.length - 1;
                boolean literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !last);
                String piece = literal ? String.valueOf((char) b) : String.format(Locale.ROOT, "=%02X", b);
                if (column + piece.length() > QP_LINE - 1) {
                    out.append('=').append(CRLF);
                    column = 0;
                }
                out.append(piece);
                column += piece.length();
            }
            if (l < lines.length - 1) {
                out.append(CRLF);
            }
        }
        return out.toString();
    }

    static String decodeQuotedPrintable(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String text = encoded.replace("=" + CRLF, "");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '=' && i + 2 < text.length()) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8).replace(CRLF, "\n");
    }

    /** Splits a header block (unfolded) into an ordered, case-insensitive-by-lowercase map. */
    static Map<String, String> headers(String block) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line :
                block.replace(CRLF + " ", " ").replace(CRLF + "\t", " ").split(CRLF)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        return headers;
    }
}
