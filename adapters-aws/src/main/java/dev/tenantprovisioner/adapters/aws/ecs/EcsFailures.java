package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.model.Failure;

/** Turns what ECS says went wrong into the domain's terms. */
final class EcsFailures {

    /** Every {@code RESOURCE:*} reason (CPU, MEMORY, PORTS, PORTS_TCP, ENI, GPU...) means no instance had room. */
    private static final String NO_ROOM = "RESOURCE:";

    private static final String PORTS = "RESOURCE:PORTS";

    private EcsFailures() {}

    /**
     * The capacity reason, if any placement failure is one. On a cluster of several instances each instance
     * gives its own reason; one full instance next to a broken one still means "no room now".
     */
    static Optional<String> noRoom(List<Failure> failures) {
        return failures.stream()
                .map(Failure::reason)
                .filter(r -> r != null && r.startsWith(NO_ROOM))
                .findFirst();
    }

    /**
     * Whether every instance refused the task only because the host port was taken ({@code RESOURCE:PORTS}, or
     * {@code RESOURCE:PORTS_TCP}): another port may fit where this one does not.
     */
    static boolean portTaken(List<Failure> failures) {
        return !failures.isEmpty()
                && failures.stream().map(Failure::reason).allMatch(r -> r != null && r.startsWith(PORTS));
    }

    /** A RunTask that placed nothing for a reason that waiting will not cure (AGENT, ATTRIBUTE, MISSING...). */
    static InfrastructureException notPlaced(String tenant, List<Failure> failures) {
        if (failures.isEmpty()) {
            return new InfrastructureException(
                    "ECS RunTask for " + tenant + " started no task and named no failure", true);
        }
        return new InfrastructureException(
                "ECS could not place the task of " + tenant + ": " + describe(failures)
                        + ". Check the cluster's container instances and the task definition's constraints.",
                false);
    }

    /** Throttling, 5xx and I/O failures (after the SDK's own retries) are worth retrying; other 4xx are not. */
    static InfrastructureException of(String operation, SdkException e) {
        if (e instanceof AwsServiceException service) {
            AwsErrorDetails details = service.awsErrorDetails();
            String code = details == null ? "" : details.errorCode();
            String message = details == null ? service.getMessage() : details.errorMessage();
            boolean retryable = service.isThrottlingException() || service.statusCode() >= 500;
            return new InfrastructureException(
                    "ECS " + operation + " answered " + service.statusCode() + " " + code + ": " + message,
                    retryable,
                    e);
        }
        return new InfrastructureException("ECS " + operation + " failed: " + e.getMessage(), true, e);
    }

    /** DescribeTasks named a failure other than MISSING for the task. */
    static InfrastructureException notDescribed(String task, List<Failure> failures) {
        return new InfrastructureException("ECS could not describe task " + task + ": " + describe(failures), false);
    }

    private static String describe(List<Failure> failures) {
        return failures.stream()
                .map(f -> f.reason()
                        + (f.detail() == null ? "" : " (" + f.detail() + ")")
                        + (f.arn() == null ? "" : " on " + f.arn()))
                .collect(Collectors.joining("; "));
    }
}
