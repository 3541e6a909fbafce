package dev.tenantprovisioner.domain.spi;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Listing cursors as the registries here hand them out: the order key of the last lease of a page
 * ({@link dev.tenantprovisioner.domain.model.Lease#createdOrder()} or {@code updatedOrder()}), URL-safe base64.
 */
public final class Cursors {

    private static final String KEY = "[0-9]{21}\\|[a-z0-9-]{1,63}";

    private Cursors() {}

    public static String of(String orderKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(orderKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The order key in a cursor. */
    public static Optional<String> key(Optional<String> cursor) {
        return cursor.map(Cursors::decode);
    }

    private static String decode(String cursor) {
        String key;
        try {
            key = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            throw new InvalidCursorException(cursor);
        }
        if (!key.matches(KEY)) {
            throw new InvalidCursorException(cursor);
        }
        return key;
    }
}
