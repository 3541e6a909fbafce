package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.adapters.aws.dynamodb.MotoServer;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * An ECS cluster on moto's server, as the adapter meets one in production: one container instance registered from
 * an EC2 instance that has a public address, and the tenants' task definition. moto implements ECS and EC2 from
 * botocore's service models (https://docs.getmoto.org/en/latest/docs/services/ecs.html, .../ec2.html), so it is a
 * second implementation of the APIs that nobody on this project wrote, unlike {@link FakeEcs}.
 *
 * <p>Where moto is not ECS (seen with moto 5.2.1, and checked in its source, {@code moto/ecs/models.py}):
 * <ul>
 *   <li>{@code RunTask} ignores {@code clientToken}: a repeat starts a second task.
 *   <li>Tasks start in {@code RUNNING} at once, with no {@code PROVISIONING}/{@code PENDING}; capacity providers
 *       are accepted and ignored (tasks are placed on the instance).
 *   <li>A task it cannot place comes back as no task and <em>no failure</em>; ECS names the resource
 *       ({@code RESOURCE:MEMORY}...) in {@code failures} (ECS developer guide, "API failure reasons").
 *   <li>{@code StopTask} of a task it does not know answers 500; ECS answers {@code InvalidParameterException}
 *       "The referenced task was not found." (StopTask API reference).
 *   <li>By default every {@code DescribeTasks} moves a task one step towards STOPPED (moto's state manager, model
 *       {@code ecs::task}); this fixture sets that model's transition so tasks stay put until stopped
 *       (https://docs.getmoto.org/en/latest/docs/configuration/state_transition/index.html).
 * </ul>
 */
public final class MotoEcs implements AutoCloseable {

    public static final Region REGION = Region.US_EAST_1;
    public static final String CLUSTER = "tenants";
    public static final String FAMILY = "tenant-app";
    public static final String CONTAINER = "app";
    /** The app's container port in bridge mode. */
    public static final int APP_PORT = 8080;
    /**
     * Memory of the tenant's container, MiB. moto registers every container instance with 4096 CPU units and 7482
     * MiB whatever the instance type, so three tasks fit and a test can fill the instance.
     */
    static final int TASK_MEMORY = 2048;

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("moto-test", "moto-test"));

    private final URI endpoint;
    private final Region region;
    private final SdkHttpClient http = EcsClients.httpClient();
    private final EcsClient ecs;
    private final String instanceId;
    private final Ipv4Address publicAddress;

    private MotoEcs(URI endpoint, Region region, NetworkMode networkMode, boolean reset) {
        this.endpoint = endpoint;
        if (reset) {
            // A fresh account: whatever an earlier test left on this server (clusters, instances, tasks) is gone.
            post(endpoint, "/moto-api/reset", "");
        }
        post(
                endpoint,
                "/moto-api/state-manager/set-transition",
                "{\"model_name\": \"ecs::task\", \"transition\": {\"progression\": \"manual\", \"times\": "
                        + Integer.MAX_VALUE + "}}");
        this.region = region;
        this.ecs = EcsClients.ecs(http, region, CREDENTIALS, Optional.of(endpoint));
        try (Ec2Client ec2 = Ec2Client.builder()
                .region(region)
                .credentialsProvider(CREDENTIALS)
                .endpointOverride(endpoint)
                .httpClient(EcsClients.httpClient())
                .build()) {
            String image =
                    ec2.describeImages(r -> r.owners("amazon")).images().get(0).imageId();
            String id = ec2.runInstances(r -> r.imageId(image)
                            .instanceType(InstanceType.T3_SMALL)
                            .minCount(1)
                            .maxCount(1))
                    .instances()
                    .get(0)
                    .instanceId();
            Instance described = ec2.describeInstances(r -> r.instanceIds(id))
                    .reservations()
                    .get(0)
                    .instances()
                    .get(0);
            this.instanceId = id;
            this.publicAddress = Ipv4Address.of(described.publicIpAddress());
        }
        ecs.createCluster(r -> r.clusterName(CLUSTER));
        // What the ECS agent sends when the instance joins: its signed instance identity document (moto reads the
        // instance id from it).
        ecs.registerContainerInstance(r -> r.cluster(CLUSTER)
                .instanceIdentityDocument("{\"instanceId\":\"" + instanceId + "\",\"region\":\"" + region.id()
                        + "\",\"accountId\":\"123456789012\",\"instanceType\":\"t3.small\"}"));
        ecs.registerTaskDefinition(r -> r.family(FAMILY)
                .networkMode(networkMode)
                .requiresCompatibilitiesWithStrings("EC2")
                .containerDefinitions(c -> {
                    c.name(CONTAINER)
                            .image("public.ecr.aws/docker/library/nginx:1")
                            .memory(TASK_MEMORY);
                    if (networkMode == NetworkMode.BRIDGE) {
                        c.portMappings(p -> p.containerPort(APP_PORT).hostPort(0));
                    }
                }));
    }

    /** Resets moto's state, then sets up the cluster with a host-network task definition (the default mode). */
    public static MotoEcs hostNetwork(MotoServer moto) {
        return new MotoEcs(moto.endpoint(), REGION, NetworkMode.HOST, true);
    }

    /** Resets moto's state, then sets up the cluster with a bridge-network base task definition. */
    public static MotoEcs bridgeNetwork(MotoServer moto) {
        return new MotoEcs(moto.endpoint(), REGION, NetworkMode.BRIDGE, true);
    }

    /**
     * Sets up the cluster (host network) in {@code region} beside whatever the server already holds, for a test
     * that keeps its DynamoDB table and secrets on the same server.
     */
    public static MotoEcs besideOtherServices(MotoServer moto, Region region) {
        return new MotoEcs(moto.endpoint(), region, NetworkMode.HOST, false);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The EC2 instance's public address, as moto's EC2 reports it to an SDK client. */
    public Ipv4Address publicAddress() {
        return publicAddress;
    }

    public EcsClient ecs() {
        return ecs;
    }

    public EcsSettings settings() {
        return EcsSettings.of(CLUSTER, FAMILY, CONTAINER);
    }

    /** The adapter, with ECS and its own EC2 call both pointed at moto. */
    public EcsContainerRuntime runtime(EcsSettings settings) {
        return new EcsContainerRuntime(ecs, new Ec2PublicAddresses(http, region, CREDENTIALS, endpoint), settings);
    }

    /** The adapter with containers' secrets kept in moto's Secrets Manager too. */
    public EcsContainerRuntime runtime(EcsSettings settings, SecretsManagerClient secrets) {
        return new EcsContainerRuntime(
                ecs, new Ec2PublicAddresses(http, region, CREDENTIALS, endpoint), settings, Optional.of(secrets));
    }

    /** A Secrets Manager client on moto; the caller closes it. */
    public SecretsManagerClient secretsManager() {
        return SecretsManagerClient.builder()
                .region(region)
                .credentialsProvider(CREDENTIALS)
                .endpointOverride(endpoint)
                .httpClient(EcsClients.httpClient())
                .build();
    }

    private static void post(URI endpoint, String path, String body) {
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(endpoint.resolve(path))
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 != 2) {
                throw new IllegalStateException(
                        "moto refused " + path + ": " + answer.statusCode() + " " + answer.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        ecs.close();
        http.close();
    }
}
