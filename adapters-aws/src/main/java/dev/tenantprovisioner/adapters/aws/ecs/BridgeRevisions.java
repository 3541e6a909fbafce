package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * Bridge mode: ECS cannot override a port mapping at RunTask, so each host port gets a task definition of
 * its own, a copy of the base with only the host port changed. The copy lives in a family of its own,
 * {@code <base family>-port-<port>}, for two reasons: the latest revision of a family is found in one call,
 * so a retry reuses it instead of registering again; and the base family's latest revision stays the
 * operator's, so anyone running the base by family name does not pick up a tenant's port.
 */
final class BridgeRevisions {

    /** Tags a copy with the exact base revision it was made from; a newer base means a new copy. */
    static final String BASE_TAG = "tenant-provisioner:base";

    private final EcsClient ecs;
    private final EcsSettings settings;

    BridgeRevisions(EcsClient ecs, EcsSettings settings) {
        this.ecs = ecs;
        this.settings = settings;
    }

    /** The ARN of the task definition that maps {@code port} on the host to the app's port. */
    String revisionFor(HostPort port) {
        DescribeTaskDefinitionResponse base = describe(settings.taskDefinition())
                .orElseThrow(() -> new InfrastructureException(
                        "ECS base task definition " + settings.taskDefinition() + " does not exist", false));
        TaskDefinition definition = base.taskDefinition();
        if (definition.networkMode() != null && definition.networkMode() != NetworkMode.BRIDGE) {
            throw new InfrastructureException(
                    "bridge mode needs a task definition with network mode bridge; " + definition.taskDefinitionArn()
                            + " has " + definition.networkModeAsString(),
                    false);
        }
        String family = definition.family() + "-port-" + port.value();
        Optional<DescribeTaskDefinitionResponse> copy = describe(family);
        if (copy.isPresent() && copy.get().tags().contains(baseTag(definition))) {
            return copy.get().taskDefinition().taskDefinitionArn();
        }
        return register(definition, base.tags(), family, port);
    }

    private String register(TaskDefinition base, List<Tag> baseTags, String family, HostPort port) {
        RegisterTaskDefinitionRequest.Builder request = RegisterTaskDefinitionRequest.builder();
        copyRegistrableFields(base, request);
        List<Tag> tags = new ArrayList<>(baseTags);
        tags.removeIf(tag -> BASE_TAG.equals(tag.key()));
        tags.add(baseTag(base));
        request.family(family).containerDefinitions(withHostPort(base, port)).tags(tags);
        try {
            return ecs.registerTaskDefinition(request.build()).taskDefinition().taskDefinitionArn();
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw EcsFailures.of("RegisterTaskDefinition", e);
        }
    }

    /**
     * Every field RegisterTaskDefinition accepts, taken from the base by the SDK's own field names, so a field
     * AWS adds later is carried over too instead of being silently dropped.
     */
    private static void copyRegistrableFields(TaskDefinition base, RegisterTaskDefinitionRequest.Builder request) {
        for (SdkField<?> field : request.sdkFields()) {
            SdkField<?> source = base.sdkFieldNameToField().get(field.memberName());
            if (source != null) {
                field.set(request, source.getValueOrDefault(base));
            }
        }
    }

    private List<ContainerDefinition> withHostPort(TaskDefinition base, HostPort port) {
        List<ContainerDefinition> containers = new ArrayList<>();
        boolean mapped = false;
        for (ContainerDefinition container : base.containerDefinitions()) {
            if (!container.name().equals(settings.containerName())) {
                containers.add(container);
                continue;
            }
            List<PortMapping> mappings = new ArrayList<>();
            for (PortMapping mapping : container.portMappings()) {
                if (mapping.containerPort() != null && mapping.containerPort() == settings.appPort()) {
                    mappings.add(mapping.toBuilder().hostPort(port.value()).build());
                    mapped = true;
                } else {
                    mappings.add(mapping);
                }
            }
            containers.add(container.toBuilder().portMappings(mappings).build());
        }
        if (!mapped) {
            throw new InfrastructureException(
                    "task definition " + base.taskDefinitionArn() + " has no container " + settings.containerName()
                            + " with a port mapping for container port " + settings.appPort(),
                    false);
        }
        return containers;
    }

    private Optional<DescribeTaskDefinitionResponse> describe(String taskDefinition) {
        try {
            return Optional.of(ecs.describeTaskDefinition(
                    r -> r.taskDefinition(taskDefinition).include(TaskDefinitionField.TAGS)));
        } catch (ClientException e) {
            // ECS answers a ClientException "Unable to describe task definition." for a family it does not know.
            if (String.valueOf(e.getMessage()).contains("Unable to describe")) {
                return Optional.empty();
            }
            throw EcsFailures.of("DescribeTaskDefinition", e);
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw EcsFailures.of("DescribeTaskDefinition", e);
        }
    }

    private static Tag baseTag(TaskDefinition base) {
        return Tag.builder().key(BASE_TAG).value(base.taskDefinitionArn()).build();
    }
}
