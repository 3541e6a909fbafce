package dev.tenantprovisioner.adapters.aws.ecs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** RunTask's {@code clientToken}: up to 64 characters, each in the ASCII range 33-126. */
final class ClientTokens {

    static final int MAX_LENGTH = 64;

    private ClientTokens() {}

    /**
     * The start token itself when ECS accepts it, so a task's token can be read back to its lease; otherwise
     * its SHA-256 in hex, which is exactly 64 characters and the same for every retry.
     */
    static String of(String startToken) {
        boolean accepted =
                startToken.length() <= MAX_LENGTH && startToken.chars().allMatch(c -> c >= 33 && c <= 126);
        return accepted ? startToken : sha256(startToken);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
