package dev.tenantprovisioner.adapters.resend;

import com.resend.core.exception.ResendException;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.io.IOException;
import java.util.Optional;

/**
 * What went wrong with one send, and whether the same send may succeed later. Resend's answers come
 * as {@link ResendException} (status code and error name); the SDK wraps network and TLS errors in a
 * plain {@link RuntimeException} around the {@link IOException}.
 */
record ResendFailure(String description, boolean retryable, Throwable cause) {

    private static final int MAX_MESSAGE = 200;

    static ResendFailure of(ResendException e) {
        Integer status = e.getStatusCode();
        String name = Optional.ofNullable(e.getErrorName()).orElse("unknown_error");
        String message = shortened(Optional.ofNullable(e.getMessage()).orElse(""));
        String description = (status == null ? "no status" : status.toString()) + " " + name
                + (message.isEmpty() ? "" : ": " + message);
        // Resend's own words are carried in the description; its exception (and the raw body) are not kept.
        return new ResendFailure(description, isTransient(status, name), null);
    }

    /** Empty when {@code e} is not the SDK's wrapping of a network error: a bug must not look like an outage. */
    static Optional<ResendFailure> ofNetwork(RuntimeException e) {
        if (!(e.getCause() instanceof IOException io)) {
            return Optional.empty();
        }
        return Optional.of(new ResendFailure(
                "network error: " + io.getClass().getSimpleName() + ": " + shortened(String.valueOf(io.getMessage())),
                true,
                io));
    }

    static ResendFailure interrupted(InterruptedException e) {
        return new ResendFailure("interrupted while waiting to retry", true, e);
    }

    /** The domain's exception; {@code secret} is blanked out of the message wherever it appears. */
    InfrastructureException toException(String context, String secret) {
        return new InfrastructureException(describe(context, secret), retryable, cause);
    }

    /** For logs and messages: {@code secret} is blanked out wherever it appears. */
    String describe(String context, String secret) {
        return (context + ": " + description).replace(secret, "***");
    }

    // 429 (rate limit, quota), 5xx, and a key whose first request is still running are worth another try;
    // any other 4xx says the message, the sender or the API key is wrong, and sending again changes nothing.
    private static boolean isTransient(Integer status, String name) {
        if (status == null) {
            return true;
        }
        return status == 429
                || status >= 500
                || status == 408
                || (status == 409 && "concurrent_idempotent_requests".equals(name));
    }

    private static String shortened(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
    }
}
