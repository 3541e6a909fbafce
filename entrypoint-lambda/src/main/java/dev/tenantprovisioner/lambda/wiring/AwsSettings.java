package dev.tenantprovisioner.lambda.wiring;

import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbSettings;
import dev.tenantprovisioner.adapters.aws.dynamodb.TableName;
import dev.tenantprovisioner.adapters.aws.ecs.EcsSettings;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.http.wiring.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * The settings of the DynamoDB and ECS adapters, read from the environment ({@code secretsManagerEndpoint} is where
 * the ECS adapter keeps containers' secrets, when {@code ECS_SECRETS_PREFIX} is set; {@code logsEndpoint} where idle
 * suspension reads CloudWatch Logs, when {@code IDLE_SUSPEND_AFTER} is set: the proxy's access log or Container
 * Insights' task events).
 */
public record AwsSettings(
        Region region,
        DynamoDbSettings dynamoDb,
        EcsSettings ecs,
        Optional<URI> ecsEndpoint,
        Optional<URI> ec2Endpoint,
        Optional<URI> secretsManagerEndpoint,
        Optional<URI> logsEndpoint,
        Optional<Duration> idleSuspendAfter,
        IdleTraffic idleTraffic,
        Optional<String> proxyLogGroup) {

    /**
     * Where idle suspension reads each tenant's traffic: the proxy's access log ({@code PROXY_LOG_GROUP}: every visit,
     * any network mode), or ECS Container Insights' task events (billed; bridge or awsvpc mode only).
     */
    public enum IdleTraffic {
        PROXY,
        CONTAINER_INSIGHTS
    }

    /**
     * Suspend a tenant whose app has received nothing for this long (at least 10 minutes: Container Insights reports a
     * task once a minute, and its events reach CloudWatch Logs minutes late); empty or unset: never.
     */
    public static final String IDLE_SUSPEND_AFTER = "IDLE_SUSPEND_AFTER";

    /**
     * Reads every setting, recording each problem in {@code env}; returns null when any is missing or invalid.
     * {@code proxied}: whether links go through the proxy (whose access log idle suspension reads by default).
     */
    public static AwsSettings from(Env env, Optional<Ipv4Address> publicHost, boolean proxied) {
        String regionName = env.required(
                DynamoDbSettings.REGION_VARIABLE, "the region of the table and the cluster; Lambda sets it");
        Optional<TableName> table = env.parsed(DynamoDbSettings.TABLE_VARIABLE, TableName::of);
        Optional<URI> dynamoDbEndpoint = env.parsed(DynamoDbSettings.ENDPOINT_VARIABLE, AwsSettings::uri);
        int attempts =
                env.integer(DynamoDbSettings.MAX_ATTEMPTS_VARIABLE, DynamoDbSettings.DEFAULT_MAX_ATTEMPTS, 1, 20);
        Optional<URI> ecsEndpoint = env.parsed("ECS_ENDPOINT", AwsSettings::uri);
        Optional<URI> ec2Endpoint = env.parsed("EC2_ENDPOINT", AwsSettings::uri);
        Optional<URI> secretsManagerEndpoint = env.parsed(SecretsManagerSource.ENDPOINT, AwsSettings::uri);
        Optional<URI> logsEndpoint = env.parsed("LOGS_ENDPOINT", AwsSettings::uri);
        Optional<Duration> idleSuspendAfter = env.optional(IDLE_SUSPEND_AFTER)
                .filter(value -> !value.isBlank())
                .map(value -> env.duration(
                        IDLE_SUSPEND_AFTER, Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofDays(30)));
        Optional<EcsSettings> ecs = EcsEnv.from(env, publicHost);
        IdleTraffic idleTraffic = env.parsed("IDLE_TRAFFIC", AwsSettings::idleTraffic)
                .orElse(proxied ? IdleTraffic.PROXY : IdleTraffic.CONTAINER_INSIGHTS);
        Optional<String> proxyLogGroup = env.optional("PROXY_LOG_GROUP");
        if (idleSuspendAfter.isPresent() && idleTraffic == IdleTraffic.PROXY) {
            if (!proxied) {
                env.problem("IDLE_TRAFFIC=proxy needs a proxy (PROXY=https or http): with PROXY=none no proxy sees the"
                        + " visits; set IDLE_TRAFFIC=container-insights or leave " + IDLE_SUSPEND_AFTER + " unset");
            } else if (proxyLogGroup.isEmpty()) {
                env.problem(IDLE_SUSPEND_AFTER + " reads the proxy's access log: set PROXY_LOG_GROUP to the proxy's"
                        + " CloudWatch Logs group (the template's ProxyLogGroup)");
            }
        }
        if (idleSuspendAfter.isPresent() && idleTraffic == IdleTraffic.CONTAINER_INSIGHTS && hostNetwork(env)) {
            env.problem(IDLE_SUSPEND_AFTER + " cannot be used with ECS_NETWORK_MODE=HOST (the default) when"
                    + " IDLE_TRAFFIC=container-insights: Container Insights reports a task's received bytes"
                    + " (NetworkRxBytes) only for tasks in bridge or awsvpc network mode, so every tenant would look"
                    + " idle and be suspended; set ECS_NETWORK_MODE=BRIDGE, IDLE_TRAFFIC=proxy, or leave "
                    + IDLE_SUSPEND_AFTER + " unset");
        }
        if (!env.problems().isEmpty() || ecs.isEmpty()) {
            return null;
        }
        Region region = Region.of(regionName);
        DynamoDbSettings dynamoDb =
                new DynamoDbSettings(table.orElse(TableName.defaultName()), region, dynamoDbEndpoint, attempts);
        return new AwsSettings(
                region,
                dynamoDb,
                ecs.get(),
                ecsEndpoint,
                ec2Endpoint,
                secretsManagerEndpoint,
                logsEndpoint,
                idleSuspendAfter,
                idleTraffic,
                proxyLogGroup);
    }

    private static IdleTraffic idleTraffic(String value) {
        switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "proxy":
                return IdleTraffic.PROXY;
            case "container-insights":
                return IdleTraffic.CONTAINER_INSIGHTS;
            default:
                throw new IllegalArgumentException("must be proxy or container-insights, was '" + value + "'");
        }
    }

    /**
     * Whether tenants share the host's network (ECS_NETWORK_MODE unset or HOST), read on its own so the problem is
     * reported even when other ECS settings are missing.
     */
    private static boolean hostNetwork(Env env) {
        return env.optional("ECS_NETWORK_MODE")
                .map(mode -> mode.equalsIgnoreCase(EcsSettings.NetworkMode.HOST.name()))
                .orElse(true);
    }

    private static URI uri(String value) {
        URI uri = URI.create(value);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "must be an absolute URL such as http://127.0.0.1:8000, was '" + value + "'");
        }
        return uri;
    }
}
