package dev.tenantprovisioner.adapters.inmemory;

import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * A {@link Mailer} that records what it delivers instead of sending it. Like Resend it delivers one
 * message per idempotency key; it can be told to fail the next sends.
 */
public final class RecordingMailer implements Mailer {

    private final Map<String, WelcomeEmail> delivered = new LinkedHashMap<>();
    private final List<WelcomeEmail> accepted = new ArrayList<>();
    private final Queue<InfrastructureException> failures = new ArrayDeque<>();
    private long attempts;

    @Override
    public synchronized void sendWelcome(WelcomeEmail email) {
        attempts++;
        InfrastructureException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
        accepted.add(email);
        delivered.putIfAbsent(email.idempotencyKey(), email);
    }

    /** Every send that succeeded, repeats of one idempotency key included. */
    public synchronized List<WelcomeEmail> accepted() {
        return new ArrayList<>(accepted);
    }

    /** The messages delivered, one per idempotency key, in order. */
    public synchronized List<WelcomeEmail> delivered() {
        return new ArrayList<>(delivered.values());
    }

    /** How many sends were asked for, failed and deduplicated ones included. */
    public synchronized long attempts() {
        return attempts;
    }

    /** The next send throws {@code failure}; queue several to fail several sends. */
    public synchronized RecordingMailer failNextSend(InfrastructureException failure) {
        failures.add(failure);
        return this;
    }
}
