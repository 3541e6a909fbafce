package dev.tenantprovisioner.lambda.wiring;

import com.google.inject.Injector;
import com.google.inject.Key;
import dev.tenantprovisioner.adapters.aws.dynamodb.DynamoDbPortRegistry;
import dev.tenantprovisioner.adapters.aws.ecs.EcsContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.http.ApiKeys;
import dev.tenantprovisioner.http.ApiRequest;
import dev.tenantprovisioner.http.HttpApi;
import dev.tenantprovisioner.http.wiring.CoreSettings;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The runtime hooks Lambda calls around a SnapStart snapshot (org.crac, "Lambda SnapStart runtime hooks for
 * Java"). Before the checkpoint the graph is primed, so a restored copy does not pay for it on its first request:
 * <ul>
 *   <li>the HTTP API answers three requests that stop at authentication and input checks (routing, JSON, problem
 *       answers, the request log), which touch no backend;</li>
 *   <li>the DynamoDB and ECS clients run GetItem, Query, PutItem, RunTask and DescribeTasks through marshalling,
 *       endpoint rules and signing with throwaway credentials, stopped before sending ({@link DryRun});</li>
 *   <li>the Resend mailer is built (its HTTP client and JSON stack are loaded; no connection is opened).</li>
 * </ul>
 * After a restore, what every copy would otherwise share is made anew: the registry's backoff jitter is reseeded
 * and the ECS runtime forgets instance addresses timed on the snapshot's clock.
 */
final class SnapStartHooks implements Resource {

    /** What priming did, for the log and for tests. */
    record Priming(int apiRequests, int sdkRequestsStopped, boolean mailerBuilt) {}

    private final Injector injector;
    private final Bootstrap.Function function;

    SnapStartHooks(Injector injector, Bootstrap.Function function) {
        this.injector = injector;
        this.function = function;
    }

    static SnapStartHooks register(Injector injector, Bootstrap.Function function) {
        SnapStartHooks hooks = new SnapStartHooks(injector, function);
        Core.getGlobalContext().register(hooks);
        return hooks;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        Priming primed = prime();
        System.out.println("{\"event\":\"snapstart-before-checkpoint\",\"apiRequests\":" + primed.apiRequests()
                + ",\"sdkRequestsStopped\":" + primed.sdkRequestsStopped() + ",\"mailerBuilt\":" + primed.mailerBuilt()
                + "}");
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        refresh();
        LambdaInvocation.restored();
        System.out.println("{\"event\":\"snapstart-after-restore\",\"reseeded\":true}");
    }

    Priming prime() {
        int api = function == Bootstrap.Function.HTTP_API ? primeApi() : 0;
        int sdk = primeClients();
        boolean mailer = false;
        if (injector.getInstance(Mailer.class) instanceof LazyMailer lazy) {
            lazy.prime();
            mailer = true;
        }
        return new Priming(api, sdk, mailer);
    }

    void refresh() {
        if (injector.getInstance(PortRegistry.class) instanceof DynamoDbPortRegistry registry) {
            registry.reseedJitter();
        }
        if (injector.getInstance(ContainerRuntime.class) instanceof EcsContainerRuntime runtime) {
            runtime.forgetHostAddresses();
        }
    }

    private int primeApi() {
        HttpApi api = injector.getInstance(HttpApi.class);
        CoreSettings settings = injector.getInstance(CoreSettings.class);
        String key = settings.apiKeys().isEmpty() ? "" : settings.apiKeys().get(0);
        Map<String, String> json = Map.of("content-type", "application/json", ApiKeys.HEADER, key);
        api.handle(new ApiRequest("POST", "/provision", Map.of(), bytes("{}"), "snapstart-priming-1"));
        api.handle(new ApiRequest("POST", "/provision", json, bytes("{\"userId\":"), "snapstart-priming-2"));
        api.handle(new ApiRequest(
                "POST",
                "/provision",
                json,
                bytes("{\"userId\":\"-\",\"email\":\"a@example.com\"}"),
                "snapstart-priming-3"));
        return 3;
    }

    private int primeClients() {
        if (injector.getExistingBinding(Key.get(DryRun.class)) == null) {
            return 0;
        }
        DryRun dryRun = injector.getInstance(DryRun.class);
        int before = dryRun.stopped();
        AwsSettings aws = injector.getInstance(AwsSettings.class);
        String table = aws.dynamoDb().table().value();
        Map<String, AttributeValue> key =
                Map.of("pk", AttributeValue.fromS("TENANT#snapstart-priming"), "sk", AttributeValue.fromN("0"));
        DynamoDbClient dynamoDb = injector.getInstance(DynamoDbClient.class);
        dryRun.run(() -> dynamoDb.getItem(
                r -> r.tableName(table).key(key).consistentRead(true).overrideConfiguration(DryRun.override())));
        dryRun.run(() -> dynamoDb.query(r -> r.tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", "pk"))
                .expressionAttributeValues(Map.of(":pk", key.get("pk")))
                .limit(1)
                .overrideConfiguration(DryRun.override())));
        dryRun.run(() -> dynamoDb.putItem(r -> r.tableName(table)
                .item(key)
                .conditionExpression("attribute_not_exists(pk)")
                .overrideConfiguration(DryRun.override())));
        EcsClient ecs = injector.getInstance(EcsClient.class);
        String cluster = aws.ecs().cluster();
        dryRun.run(() -> ecs.runTask(r -> r.cluster(cluster)
                .taskDefinition(aws.ecs().taskDefinition())
                .count(1)
                .clientToken("snapstart-priming")
                .startedBy("snapstart-priming")
                .overrideConfiguration(DryRun.override())));
        dryRun.run(() -> ecs.describeTasks(
                r -> r.cluster(cluster).tasks("snapstart-priming").overrideConfiguration(DryRun.override())));
        return dryRun.stopped() - before;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
