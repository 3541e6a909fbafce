package dev.tenantprovisioner.domain.spi;

/**
 * A driven system failed (DynamoDB, ECS, the mail provider). {@code retryable} says whether the same
 * call may succeed later (throttling, 5xx, a dropped connection) or will fail the same way
 * (a configuration or validation error).
 */
public class InfrastructureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public InfrastructureException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public InfrastructureException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public boolean retryable() {
        return retryable;
    }
}
