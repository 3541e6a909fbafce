package dev.tenantprovisioner.http.stripe;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies a {@code Stripe-Signature} header the way Stripe specifies: {@code t=<unix seconds>} and one
 * or more {@code v1=<hex HMAC-SHA256 of "t.body">}; any configured endpoint secret may match (so a
 * secret can be rolled), and the timestamp must lie within the tolerance of now (replay protection).
 */
public final class StripeSignature {

    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final List<byte[]> secrets;
    private final Duration tolerance;
    private final Clock clock;

    public StripeSignature(List<String> secrets, Duration tolerance, Clock clock) {
        this.secrets =
                secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /** Empty if the signature is good, else why it is not. */
    public Optional<String> problemWith(Optional<String> header, byte[] body) {
        if (header.isEmpty() || header.get().isBlank()) {
            return Optional.of("the Stripe-Signature header is missing");
        }
        long timestamp = -1;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.get().split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (key.equals("t")) {
                try {
                    timestamp = Long.parseLong(value);
                } catch (NumberFormatException bad) {
                    return Optional.of("the Stripe-Signature timestamp is not a number");
                }
            } else if (key.equals("v1")) {
                try {
                    signatures.add(HexFormat.of().parseHex(value));
                } catch (IllegalArgumentException notHex) {
                    // A malformed signature simply cannot match.
                }
            }
        }
        if (timestamp < 0) {
            return Optional.of("the Stripe-Signature header has no timestamp");
        }
        if (signatures.isEmpty()) {
            return Optional.of("the Stripe-Signature header has no v1 signature");
        }
        long age = clock.instant().getEpochSecond() - timestamp;
        if (Math.abs(age) > tolerance.getSeconds()) {
            return Optional.of(
                    "the Stripe-Signature timestamp is outside the tolerance of " + tolerance.getSeconds() + " s");
        }
        byte[] signedPayload = signedPayload(timestamp, body);
        boolean match = false;
        for (byte[] secret : secrets) {
            byte[] expected = hmac(secret, signedPayload);
            for (byte[] signature : signatures) {
                match |= MessageDigest.isEqual(expected, signature);
            }
        }
        return match ? Optional.empty() : Optional.of("no v1 signature matches a configured endpoint secret");
    }

    /** The header Stripe would send for {@code body} at {@code timestamp}, signed with {@code secret}. */
    public static String sign(String secret, long timestamp, byte[] body) {
        byte[] mac = hmac(secret.getBytes(StandardCharsets.UTF_8), signedPayload(timestamp, body));
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac);
    }

    private static byte[] signedPayload(long timestamp, byte[] body) {
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] payload = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, payload, 0, prefix.length);
        System.arraycopy(body, 0, payload, prefix.length, body.length);
        return payload;
    }

    private static byte[] hmac(byte[] secret, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (NoSuchAlgorithmException | InvalidKeyException impossible) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", impossible);
        }
    }
}
