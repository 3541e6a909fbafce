package dev.tenantprovisioner.lambda.wiring;

import dev.tenantprovisioner.adapters.aws.ecs.EcsSettings;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.http.wiring.Env;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads the ECS runtime's settings from the environment. */
final class EcsEnv {

    private EcsEnv() {}

    static Optional<EcsSettings> from(Env env, Optional<Ipv4Address> publicHost) {
        String cluster = env.required("ECS_CLUSTER", "the ECS cluster that runs tenants, name or ARN");
        String taskDefinition =
                env.required("ECS_TASK_DEFINITION", "the tenant app's task definition: family, family:revision or ARN");
        String container =
                env.required("ECS_CONTAINER_NAME", "the container in the task definition that serves the tenant");
        Optional<List<EcsSettings.CapacityProvider>> providers =
                env.parsed("ECS_CAPACITY_PROVIDERS", EcsEnv::providers);
        Optional<EcsSettings.NetworkMode> mode =
                env.parsed("ECS_NETWORK_MODE", v -> EcsSettings.NetworkMode.valueOf(v.toUpperCase(Locale.ROOT)));
        int appPort = env.integer("ECS_APP_PORT", 0, 0, 65535);
        Optional<Map<String, String>> environment = env.parsed("ECS_CONTAINER_ENV", EcsEnv::variables);
        Optional<String> secretsPrefix = env.parsed("ECS_SECRETS_PREFIX", value -> value);
        if (cluster.isEmpty() || taskDefinition.isEmpty() || container.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new EcsSettings(
                    cluster,
                    taskDefinition,
                    container,
                    providers.orElse(List.of()),
                    mode.orElse(EcsSettings.NetworkMode.HOST),
                    appPort,
                    environment.orElse(Map.of()),
                    publicHost,
                    secretsPrefix));
        } catch (IllegalArgumentException bad) {
            env.problem("ECS settings: " + bad.getMessage());
            return Optional.empty();
        }
    }

    /** {@code name:weight:base,...}; weight defaults to 1 and base to 0. */
    private static List<EcsSettings.CapacityProvider> providers(String value) {
        List<EcsSettings.CapacityProvider> providers = new ArrayList<>();
        for (String entry : value.split(",")) {
            String[] parts = entry.trim().split(":");
            if (parts.length > 3 || parts[0].isBlank()) {
                throw new IllegalArgumentException("expected name:weight:base entries, got '" + entry.trim() + "'");
            }
            int weight = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
            int base = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
            providers.add(new EcsSettings.CapacityProvider(parts[0], weight, base));
        }
        return providers;
    }

    /** {@code NAME=value,...}. */
    private static Map<String, String> variables(String value) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected NAME=value entries, got '" + entry.trim() + "'");
            }
            variables.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return variables;
    }
}
