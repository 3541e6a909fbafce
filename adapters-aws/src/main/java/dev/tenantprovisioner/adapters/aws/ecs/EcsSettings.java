package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.domain.model.Ipv4Address;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where and how tenants' containers run on ECS.
 *
 * @param cluster            cluster name or ARN
 * @param taskDefinition     the base task definition: a family (latest active revision) or {@code family:revision} or an ARN
 * @param containerName      the container in the task definition that serves the tenant
 * @param capacityProviders  empty: launch type EC2; otherwise the capacity provider strategy to run with
 * @param networkMode        how the container gets the tenant's host port
 * @param appPort            in {@link NetworkMode#BRIDGE}, the container port the app listens on
 * @param environment        extra environment for every tenant's container
 * @param publicHost         the one address of a single-instance cluster (an Elastic IP); empty: ask EC2 per task
 * @param secretsPrefix      where containers' secrets (their database password) are kept in Secrets Manager, one secret
 *                           per tenant named {@code <prefix><tenant>}; empty: a start with secrets is refused
 */
public record EcsSettings(
        String cluster,
        String taskDefinition,
        String containerName,
        List<CapacityProvider> capacityProviders,
        NetworkMode networkMode,
        int appPort,
        Map<String, String> environment,
        Optional<Ipv4Address> publicHost,
        Optional<String> secretsPrefix) {

    /** Names the adapter sets itself; configured environment may not override them. */
    static final Set<String> OWN_VARIABLES = Set.of("PORT", "TENANT_ID");

    public enum NetworkMode {
        /** The task definition uses {@code host} networking; the container listens on {@code PORT}. Default. */
        HOST,
        /** The task definition uses {@code bridge}; a per-port revision maps the host port to {@code appPort}. */
        BRIDGE
    }

    /** One entry of a capacity provider strategy. */
    public record CapacityProvider(String name, int weight, int base) {
        public CapacityProvider {
            requireText(name, "ecs.capacityProvider.name");
            if (weight < 0 || weight > 1000) {
                throw new IllegalArgumentException("ecs.capacityProvider.weight: must be 0-1000, was " + weight);
            }
            if (base < 0 || base > 100000) {
                throw new IllegalArgumentException("ecs.capacityProvider.base: must be 0-100000, was " + base);
            }
        }
    }

    public EcsSettings {
        requireText(cluster, "ecs.cluster");
        requireText(taskDefinition, "ecs.taskDefinition");
        requireText(containerName, "ecs.containerName");
        capacityProviders = List.copyOf(Objects.requireNonNull(capacityProviders, "ecs.capacityProviders"));
        Objects.requireNonNull(networkMode, "ecs.networkMode");
        if (networkMode == NetworkMode.BRIDGE && (appPort < 1 || appPort > 65535)) {
            throw new IllegalArgumentException(
                    "ecs.appPort: bridge mode needs the app's container port (1-65535), was " + appPort);
        }
        environment = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(environment, "ecs.environment")));
        for (String name : environment.keySet()) {
            if (OWN_VARIABLES.contains(name)) {
                throw new IllegalArgumentException(
                        "ecs.environment: " + name + " is set by the provisioner and cannot be configured");
            }
        }
        Objects.requireNonNull(publicHost, "ecs.publicHost");
        Objects.requireNonNull(secretsPrefix, "ecs.secretsPrefix");
        secretsPrefix.ifPresent(prefix -> {
            // Secrets Manager names: letters, digits and /_+=.@- ; the tenant id (a DNS label) is appended.
            if (!prefix.matches("[A-Za-z0-9/_+=.@-]{1,200}")) {
                throw new IllegalArgumentException(
                        "ecs.secretsPrefix: letters, digits and /_+=.@- only (a Secrets Manager name), was '" + prefix
                                + "'");
            }
        });
    }

    /** Host networking, launch type EC2, no extra environment, host looked up per task. */
    public static EcsSettings of(String cluster, String taskDefinition, String containerName) {
        return new EcsSettings(
                cluster,
                taskDefinition,
                containerName,
                List.of(),
                NetworkMode.HOST,
                0,
                Map.of(),
                Optional.empty(),
                Optional.empty());
    }

    public EcsSettings withCapacityProviders(List<CapacityProvider> providers) {
        return new EcsSettings(
                cluster,
                taskDefinition,
                containerName,
                providers,
                networkMode,
                appPort,
                environment,
                publicHost,
                secretsPrefix);
    }

    public EcsSettings withBridge(int containerPort) {
        return new EcsSettings(
                cluster,
                taskDefinition,
                containerName,
                capacityProviders,
                NetworkMode.BRIDGE,
                containerPort,
                environment,
                publicHost,
                secretsPrefix);
    }

    public EcsSettings withEnvironment(Map<String, String> variables) {
        return new EcsSettings(
                cluster,
                taskDefinition,
                containerName,
                capacityProviders,
                networkMode,
                appPort,
                variables,
                publicHost,
                secretsPrefix);
    }

    public EcsSettings withPublicHost(Ipv4Address host) {
        return new EcsSettings(
                cluster,
                taskDefinition,
                containerName,
                capacityProviders,
                networkMode,
                appPort,
                environment,
                Optional.of(host),
                secretsPrefix);
    }

    public EcsSettings withSecretsPrefix(String prefix) {
        return new EcsSettings(
                cluster,
                taskDefinition,
                containerName,
                capacityProviders,
                networkMode,
                appPort,
                environment,
                publicHost,
                Optional.of(prefix));
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": must not be blank");
        }
    }
}
