package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.domain.spi.ContainerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.PropagateTags;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

/** The RunTask request for one tenant. */
final class RunTaskRequests {

    /** Every task carries its tenant, so a task found in the console can be traced back to its lease. */
    static final String TENANT_TAG = "tenant-provisioner:tenant";
    /**
     * And the start it was started for (the lease's start token), so the reconciler can tell a start whose caller died
     * before recording it from an older task of the same tenant.
     */
    static final String START_TAG = "tenant-provisioner:start";

    private RunTaskRequests() {}

    static RunTaskRequest of(EcsSettings settings, String taskDefinition, ContainerSpec spec) {
        RunTaskRequest.Builder request = RunTaskRequest.builder()
                .cluster(settings.cluster())
                .taskDefinition(taskDefinition)
                .count(1)
                .clientToken(ClientTokens.of(spec.startToken()))
                .startedBy(spec.tenant().value())
                .tags(
                        Tag.builder()
                                .key(TENANT_TAG)
                                .value(spec.tenant().value())
                                .build(),
                        Tag.builder().key(START_TAG).value(spec.startToken()).build())
                // Tags put on the task definition (cost centre, product) reach every tenant's task as well.
                .propagateTags(PropagateTags.TASK_DEFINITION)
                .overrides(TaskOverride.builder()
                        .containerOverrides(ContainerOverride.builder()
                                .name(settings.containerName())
                                .environment(environment(settings, spec))
                                .build())
                        .build());
        if (settings.capacityProviders().isEmpty()) {
            request.launchType(LaunchType.EC2);
        } else {
            request.capacityProviderStrategy(settings.capacityProviders().stream()
                    .map(p -> CapacityProviderStrategyItem.builder()
                            .capacityProvider(p.name())
                            .weight(p.weight())
                            .base(p.base())
                            .build())
                    .toList());
        }
        return request.build();
    }

    /**
     * {@code PORT} is the port the app listens on inside its container: the tenant's host port with host
     * networking, the app's fixed port in bridge mode (where ECS maps the host port onto it).
     */
    private static List<KeyValuePair> environment(EcsSettings settings, ContainerSpec spec) {
        Map<String, String> variables = new TreeMap<>(settings.environment());
        // The tenant's own variables (its database's host, name and user): never secrets, which go by reference.
        variables.putAll(spec.environment());
        int listen = settings.networkMode() == EcsSettings.NetworkMode.BRIDGE
                ? settings.appPort()
                : spec.port().value();
        variables.put("PORT", Integer.toString(listen));
        variables.put("TENANT_ID", spec.tenant().value());
        List<KeyValuePair> pairs = new ArrayList<>();
        variables.forEach((name, value) ->
                pairs.add(KeyValuePair.builder().name(name).value(value).build()));
        return pairs;
    }
}
