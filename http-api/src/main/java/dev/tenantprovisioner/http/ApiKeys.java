package dev.tenantprovisioner.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The keys that may call the provisioning and tenant routes. Keys are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, against every configured key, so the time taken says nothing about
 * how much of a guess was right or which key matched.
 */
public final class ApiKeys {

    public static final String HEADER = "x-api-key";

    private final List<byte[]> digests;

    public ApiKeys(List<String> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one API key is required");
        }
        this.digests = keys.stream().map(ApiKeys::digest).toList();
    }

    private ApiKeys() {
        this.digests = List.of();
    }

    /** Accepts no key: for functions that do not serve the API and are given no keys. */
    public static ApiKeys none() {
        return new ApiKeys();
    }

    public boolean accepts(Optional<String> presented) {
        byte[] candidate = digest(presented.orElse(""));
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, candidate);
        }
        return match && presented.isPresent();
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is part of every JDK", impossible);
        }
    }
}
