package dev.tenantprovisioner.lambda.wiring;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Lets a request run through the SDK's whole pipeline (marshalling, endpoint rules, signing, interceptors) and
 * stops it just before it would be sent, so priming a client before a snapshot loads what a real request loads
 * without touching AWS or the function's own credentials.
 */
final class DryRun implements ExecutionInterceptor {

    static final String HEADER = "x-tenant-provisioner-dry-run";

    private final AtomicInteger stopped = new AtomicInteger();

    /** What a dry request carries: fixed credentials, so nothing is fetched, and the header that stops it. */
    static AwsRequestOverrideConfiguration override() {
        return AwsRequestOverrideConfiguration.builder()
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("DRYRUN", "dry-run")))
                .putHeader(HEADER, "1")
                .build();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
        if (context.httpRequest().firstMatchingHeader(HEADER).isPresent()) {
            stopped.incrementAndGet();
            throw new Stopped();
        }
    }

    /** Runs a dry request; only its own stop is expected, anything else is thrown. */
    void run(Runnable request) {
        try {
            request.run();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof Stopped) {
                    return;
                }
            }
            throw e;
        }
    }

    /** How many dry requests reached the point of sending and were stopped there. */
    int stopped() {
        return stopped.get();
    }

    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("dry run: stopped before sending", null, false, false);
        }
    }
}
