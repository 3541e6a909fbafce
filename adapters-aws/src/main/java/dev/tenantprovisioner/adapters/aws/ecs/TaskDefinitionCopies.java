package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * Copies of the base task definition for what RunTask cannot override. ECS overrides neither port mappings nor
 * secrets at RunTask, so:
 * <ul>
 *   <li>in bridge mode each host port gets a copy with only that host port changed, in the family
 *       {@code <base family>-port-<port>};
 *   <li>a container with secrets (its database password) gets a copy of its own, in the family
 *       {@code <base family>-tenant-<tenant>}, whose container reads each secret from the tenant's Secrets Manager
 *       secret ({@code valueFrom}: the secret's ARN and the JSON key); in bridge mode it maps the tenant's port too.
 * </ul>
 * A copy lives in a family of its own for two reasons: the latest revision of a family is found in one call, so a
 * retry reuses it instead of registering again; and the base family's latest revision stays the operator's, so
 * anyone running the base by family name does not pick up a tenant's port or secret. Tags on the copy record what
 * it was made from and for; a copy whose tags differ (a newer base, another port) is replaced by a new revision.
 */
final class TaskDefinitionCopies {

    /** Tags a copy with the exact base revision it was made from; a newer base means a new copy. */
    static final String BASE_TAG = "tenant-provisioner:base";
    /** Tags a tenant's copy with the host port it maps (bridge mode). */
    static final String PORT_TAG = "tenant-provisioner:port";
    /** Tags a tenant's copy with the secret and the keys it reads. */
    static final String SECRET_TAG = "tenant-provisioner:secret";

    private final EcsClient ecs;
    private final EcsSettings settings;

    TaskDefinitionCopies(EcsClient ecs, EcsSettings settings) {
        this.ecs = ecs;
        this.settings = settings;
    }

    /** What a tenant's copy reads from Secrets Manager: the secret and the variable names, its JSON keys. */
    record SecretSource(String secretArn, Set<String> names) {
        SecretSource {
            names = Set.copyOf(names);
        }
    }

    /**
     * The task definition to run for the tenant on {@code port}: the base itself when nothing needs changing, or the
     * ARN of the copy that maps the port and reads the secrets.
     */
    String definitionFor(TenantId tenant, HostPort port, Optional<SecretSource> secrets) {
        boolean bridge = settings.networkMode() == EcsSettings.NetworkMode.BRIDGE;
        if (!bridge && secrets.isEmpty()) {
            return settings.taskDefinition();
        }
        DescribeTaskDefinitionResponse base = describe(settings.taskDefinition())
                .orElseThrow(() -> new InfrastructureException(
                        "ECS base task definition " + settings.taskDefinition() + " does not exist", false));
        TaskDefinition definition = base.taskDefinition();
        if (bridge && definition.networkMode() != null && definition.networkMode() != NetworkMode.BRIDGE) {
            throw new InfrastructureException(
                    "bridge mode needs a task definition with network mode bridge; " + definition.taskDefinitionArn()
                            + " has " + definition.networkModeAsString(),
                    false);
        }
        String family = secrets.isPresent()
                ? definition.family() + "-tenant-" + tenant.value()
                : definition.family() + "-port-" + port.value();
        List<Tag> wanted = new ArrayList<>();
        wanted.add(tag(BASE_TAG, definition.taskDefinitionArn()));
        if (secrets.isPresent()) {
            if (bridge) {
                wanted.add(tag(PORT_TAG, Integer.toString(port.value())));
            }
            wanted.add(tag(
                    SECRET_TAG,
                    secrets.get().secretArn() + " "
                            + String.join(" ", new TreeSet<>(secrets.get().names()))));
        }
        Optional<DescribeTaskDefinitionResponse> copy = describe(family);
        if (copy.isPresent() && copy.get().tags().containsAll(wanted)) {
            return copy.get().taskDefinition().taskDefinitionArn();
        }
        List<ContainerDefinition> containers = definition.containerDefinitions();
        if (bridge) {
            containers = withHostPort(definition, containers, port);
        }
        if (secrets.isPresent()) {
            containers = withSecrets(definition, containers, secrets.get());
        }
        return register(definition, base.tags(), family, containers, wanted);
    }

    /** Deregisters every active revision of the tenant's own copy; nothing there is fine. */
    void forget(TenantId tenant) {
        Optional<DescribeTaskDefinitionResponse> base = describe(settings.taskDefinition());
        if (base.isEmpty()) {
            return;
        }
        String family = base.get().taskDefinition().family() + "-tenant-" + tenant.value();
        try {
            for (String arn : ecs.listTaskDefinitionsPaginator(
                            r -> r.familyPrefix(family).status("ACTIVE"))
                    .taskDefinitionArns()) {
                // The prefix would also match a longer tenant id; only this tenant's family goes.
                if (arn.contains(":task-definition/" + family + ":")) {
                    ecs.deregisterTaskDefinition(r -> r.taskDefinition(arn));
                }
            }
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw EcsFailures.of("DeregisterTaskDefinition", e);
        }
    }

    private String register(
            TaskDefinition base,
            List<Tag> baseTags,
            String family,
            List<ContainerDefinition> containers,
            List<Tag> ours) {
        RegisterTaskDefinitionRequest.Builder request = RegisterTaskDefinitionRequest.builder();
        copyRegistrableFields(base, request);
        List<Tag> tags = new ArrayList<>(baseTags);
        tags.removeIf(tag -> tag.key().startsWith("tenant-provisioner:") || reservedForAws(tag));
        tags.addAll(ours);
        request.family(family).containerDefinitions(containers).tags(tags);
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

    private List<ContainerDefinition> withHostPort(
            TaskDefinition base, List<ContainerDefinition> containers, HostPort port) {
        List<ContainerDefinition> changed = new ArrayList<>();
        boolean mapped = false;
        for (ContainerDefinition container : containers) {
            if (!container.name().equals(settings.containerName())) {
                changed.add(container);
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
            changed.add(container.toBuilder().portMappings(mappings).build());
        }
        if (!mapped) {
            throw new InfrastructureException(
                    "task definition " + base.taskDefinitionArn() + " has no container " + settings.containerName()
                            + " with a port mapping for container port " + settings.appPort(),
                    false);
        }
        return changed;
    }

    /**
     * The tenant's container reads each secret from a JSON key of the tenant's secret ({@code valueFrom}
     * {@code <secret ARN>:<key>::}, ECS developer guide, "Pass Secrets Manager secrets through Amazon ECS environment
     * variables"); the base's own secrets of other names stay.
     */
    private List<ContainerDefinition> withSecrets(
            TaskDefinition base, List<ContainerDefinition> containers, SecretSource source) {
        List<ContainerDefinition> changed = new ArrayList<>();
        boolean found = false;
        for (ContainerDefinition container : containers) {
            if (!container.name().equals(settings.containerName())) {
                changed.add(container);
                continue;
            }
            found = true;
            List<Secret> secrets = new ArrayList<>();
            for (Secret existing : container.secrets()) {
                if (!source.names().contains(existing.name())) {
                    secrets.add(existing);
                }
            }
            for (String name : new TreeSet<>(source.names())) {
                secrets.add(Secret.builder()
                        .name(name)
                        .valueFrom(source.secretArn() + ":" + name + "::")
                        .build());
            }
            changed.add(container.toBuilder().secrets(secrets).build());
        }
        if (!found) {
            throw new InfrastructureException(
                    "task definition " + base.taskDefinitionArn() + " has no container " + settings.containerName(),
                    false);
        }
        return changed;
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

    /**
     * A tag of AWS's own, which RegisterTaskDefinition refuses: "You can't use aws:, AWS:, or any upper or lowercase
     * combination of such as a prefix for either keys or values. These are reserved only for AWS use." (Amazon ECS
     * developer guide, "Tagging your Amazon ECS resources", tag restrictions,
     * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-using-tags.html#tag-restrictions). Such tags (a
     * stack's {@code aws:cloudformation:*}) can sit on the base; the copy keeps only the operator's own.
     */
    static boolean reservedForAws(Tag tag) {
        return startsWithAws(tag.key()) || startsWithAws(tag.value());
    }

    private static boolean startsWithAws(String text) {
        return text != null && text.regionMatches(true, 0, "aws:", 0, 4);
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
