package dev.tenantprovisioner.adapters.aws.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small stateful Secrets Manager behind WireMock, where moto 5.2.1 is not AWS (moto deletes a forced delete at once,
 * answers CreateSecret over a name scheduled for deletion with ResourceExistsException, and lets PutSecretValue write a
 * secret scheduled for deletion). Protocol awsJson1_1, {@code X-Amz-Target: secretsmanager.<Operation>}, errors as
 * {@code __type} and {@code message}, all sent as HTTP 400 (the model gives them no status). It follows the Secrets
 * Manager API reference (https://docs.aws.amazon.com/secretsmanager/latest/apireference/):
 * <ul>
 *   <li>DeleteSecret with ForceDeleteWithoutRecovery: "Secrets Manager performs the actual deletion with an asynchronous
 *       background process, so there might be a short delay before the secret is permanently deleted. If you delete a
 *       secret and then immediately create a secret with the same name, use appropriate back off and retry logic."
 *       {@link #forcedDeletesLinger} sets how many CreateSecret calls of the name are refused meanwhile, with
 *       {@code InvalidRequestException} "You can't create this secret because a secret with this name is already
 *       scheduled for deletion." (the message AWS sends, as reported in aws/copilot-cli#655 and localstack#6530; the
 *       model's InvalidRequestException: "The secret is scheduled for deletion"). Meanwhile DescribeSecret no longer
 *       finds it (a choice: the reference does not say what it answers then; the adapter copes with either).
 *   <li>DeleteSecret with a recovery window sets {@code DeletedDate}; "When a secret is scheduled for deletion, you
 *       cannot retrieve the secret value. You must first cancel the deletion with RestoreSecret", which "Cancels the
 *       scheduled deletion of a secret by removing the DeletedDate time stamp". CreateSecret of the name answers the
 *       same InvalidRequestException; PutSecretValue refuses it too (InvalidRequestException, as a fake-AWS project
 *       reports AWS doing, floci-io/floci#2514).
 *   <li>PutSecretValue: a token "that matches an existing version's VersionId, and you specify the same secret data, the
 *       operation succeeds but does nothing"; different data with that token fails ({@code ResourceExistsException},
 *       the message of moto's AWS-verified test); a new version gets AWSCURRENT, and the version it leaves gets
 *       AWSPREVIOUS.
 *   <li>UpdateSecretVersionStage: "If the staging label you are trying to attach to one version is already attached to
 *       a different version, then you must include this parameter [RemoveFromVersionId] and specify the version that
 *       the label is to be removed from"; "Whenever you move AWSCURRENT, Secrets Manager automatically moves the label
 *       AWSPREVIOUS to the version that AWSCURRENT was removed from."
 *   <li>DescribeSecret lists in {@code VersionIdsToStages} only versions that carry a label.
 * </ul>
 */
public final class FakeSecretsManager implements ResponseDefinitionTransformerV2 {

    static final String NAME = "fake-secrets-manager";
    static final String TARGET_PREFIX = "secretsmanager.";
    private static final String ARN_PREFIX = "arn:aws:secretsmanager:us-east-1:123456789012:secret:";

    private static final class Secret {
        final String arn;
        final Map<String, String> values = new LinkedHashMap<>();
        final Map<String, List<String>> stages = new LinkedHashMap<>();
        Double deletedDate;

        Secret(String arn) {
            this.arn = arn;
        }
    }

    private final Map<String, Secret> secrets = new HashMap<>();
    private final Map<String, Integer> lingering = new HashMap<>();
    private final Map<String, Integer> calls = new HashMap<>();
    private int lingerFor;
    private int created;

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    /** After each forced delete, this many CreateSecret calls of the name are refused as "scheduled for deletion". */
    public synchronized void forcedDeletesLinger(int createsRefused) {
        this.lingerFor = createsRefused;
    }

    /** How often an operation was called. */
    public synchronized int calls(String operation) {
        return calls.getOrDefault(operation, 0);
    }

    /** The versions of a secret, labelled or not. */
    public synchronized int versions(String name) {
        Secret secret = secrets.get(name);
        return secret == null ? 0 : secret.values.size();
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        String operation = event.getRequest().getHeader("X-Amz-Target").substring(TARGET_PREFIX.length());
        calls.merge(operation, 1, Integer::sum);
        JsonNode body = EcsWire.json(event.getRequest().getBodyAsString());
        switch (operation) {
            case "CreateSecret":
                return create(body);
            case "DescribeSecret":
                return describe(body);
            case "PutSecretValue":
                return put(body);
            case "UpdateSecretVersionStage":
                return updateStage(body);
            case "RestoreSecret":
                return restore(body);
            case "DeleteSecret":
                return delete(body);
            case "GetSecretValue":
                return get(body);
            default:
                return error("InvalidRequestException", "the fake does not know " + operation);
        }
    }

    private ResponseDefinition create(JsonNode request) {
        String name = request.path("Name").asText();
        Secret existing = secrets.get(name);
        int refusals = lingering.getOrDefault(name, 0);
        if (refusals > 0 || (existing != null && existing.deletedDate != null)) {
            lingering.put(name, Math.max(0, refusals - 1));
            return error(
                    "InvalidRequestException",
                    "You can't create this secret because a secret with this name is already scheduled for deletion.");
        }
        if (existing != null) {
            return error(
                    "ResourceExistsException", "The operation failed because the secret " + name + " already exists.");
        }
        created++;
        Secret secret = new Secret(ARN_PREFIX + name + "-" + String.format("%06d", created));
        String version = request.path("ClientRequestToken").asText();
        secret.values.put(version, request.path("SecretString").asText());
        secret.stages.put(version, new ArrayList<>(List.of("AWSCURRENT")));
        secrets.put(name, secret);
        return ok(answer(secret, name).put("VersionId", version));
    }

    private ResponseDefinition describe(JsonNode request) {
        String name = nameOf(request);
        Secret secret = secrets.get(name);
        if (secret == null) {
            return notFound();
        }
        ObjectNode answer = answer(secret, name);
        if (secret.deletedDate != null) {
            answer.put("DeletedDate", secret.deletedDate);
        }
        ObjectNode stages = answer.putObject("VersionIdsToStages");
        secret.stages.forEach((version, labels) -> {
            if (!labels.isEmpty()) {
                ArrayNode list = stages.putArray(version);
                labels.forEach(list::add);
            }
        });
        return ok(answer);
    }

    private ResponseDefinition put(JsonNode request) {
        String name = nameOf(request);
        Secret secret = secrets.get(name);
        if (secret == null) {
            return notFound();
        }
        if (secret.deletedDate != null) {
            return error(
                    "InvalidRequestException",
                    "You can't perform this operation on the secret because it was marked for deletion.");
        }
        String version = request.path("ClientRequestToken").asText();
        String value = request.path("SecretString").asText();
        if (secret.values.containsKey(version)) {
            if (!secret.values.get(version).equals(value)) {
                return error(
                        "ResourceExistsException",
                        "You can't use ClientRequestToken " + version
                                + " because that value is already in use for a version of secret " + secret.arn + ".");
            }
            return ok(withStages(answer(secret, name).put("VersionId", version), secret.stages.get(version)));
        }
        secret.values.put(version, value);
        secret.stages.put(version, new ArrayList<>());
        moveCurrent(secret, version);
        return ok(withStages(answer(secret, name).put("VersionId", version), secret.stages.get(version)));
    }

    private ResponseDefinition updateStage(JsonNode request) {
        String name = nameOf(request);
        Secret secret = secrets.get(name);
        if (secret == null) {
            return notFound();
        }
        String label = request.path("VersionStage").asText();
        String to = request.path("MoveToVersionId").asText();
        String from = request.path("RemoveFromVersionId").asText(null);
        String holder = holderOf(secret, label);
        if (holder != null && !holder.equals(to) && !holder.equals(from)) {
            return error(
                    "InvalidParameterException",
                    "The parameter RemoveFromVersionId can't be empty. Staging label " + label
                            + " is currently attached to version " + holder
                            + ", so you must explicitly reference that version in RemoveFromVersionId.");
        }
        if (!secret.values.containsKey(to)) {
            return notFound();
        }
        if (label.equals("AWSCURRENT")) {
            moveCurrent(secret, to);
        } else {
            if (holder != null) {
                secret.stages.get(holder).remove(label);
            }
            secret.stages.get(to).add(label);
        }
        return ok(answer(secret, name));
    }

    private ResponseDefinition restore(JsonNode request) {
        String name = nameOf(request);
        Secret secret = secrets.get(name);
        if (secret == null) {
            return notFound();
        }
        secret.deletedDate = null;
        return ok(answer(secret, name));
    }

    private ResponseDefinition delete(JsonNode request) {
        String name = nameOf(request);
        Secret secret = secrets.get(name);
        if (request.path("ForceDeleteWithoutRecovery").asBoolean(false)) {
            // "If you forcibly delete an already deleted or nonexistent secret, the operation does not return
            // ResourceNotFoundException."
            secrets.remove(name);
            lingering.put(name, lingerFor);
            return ok(EcsWire.JSON.createObjectNode().put("Name", name).put("ARN", ARN_PREFIX + name));
        }
        if (secret == null) {
            return notFound();
        }
        long days = request.path("RecoveryWindowInDays").asLong(30);
        secret.deletedDate = System.currentTimeMillis() / 1000.0 + days * 86_400;
        return ok(answer(secret, name).put("DeletionDate", secret.deletedDate));
    }

    private ResponseDefinition get(JsonNode request) {
        String name = nameOf(request);
        Secret secret = secrets.get(name);
        if (secret == null) {
            return notFound();
        }
        if (secret.deletedDate != null) {
            return error(
                    "InvalidRequestException",
                    "You can't perform this operation on the secret because it was marked for deletion.");
        }
        String current = holderOf(secret, "AWSCURRENT");
        return ok(answer(secret, name).put("VersionId", current).put("SecretString", secret.values.get(current)));
    }

    private static void moveCurrent(Secret secret, String to) {
        String from = holderOf(secret, "AWSCURRENT");
        if (to.equals(from)) {
            return;
        }
        String previous = holderOf(secret, "AWSPREVIOUS");
        if (previous != null) {
            secret.stages.get(previous).remove("AWSPREVIOUS");
        }
        if (from != null) {
            secret.stages.get(from).remove("AWSCURRENT");
            secret.stages.get(from).add("AWSPREVIOUS");
        }
        secret.stages.get(to).remove("AWSPREVIOUS");
        secret.stages.get(to).add("AWSCURRENT");
    }

    private static String holderOf(Secret secret, String label) {
        return secret.stages.entrySet().stream()
                .filter(version -> version.getValue().contains(label))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
    }

    /** SecretId may be the name or the ARN (whose name is followed by six characters). */
    private String nameOf(JsonNode request) {
        String id = request.path("SecretId").asText();
        if (!id.startsWith(ARN_PREFIX)) {
            return id;
        }
        return secrets.entrySet().stream()
                .filter(entry -> entry.getValue().arn.equals(id))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(id);
    }

    private static ObjectNode answer(Secret secret, String name) {
        return EcsWire.JSON.createObjectNode().put("ARN", secret.arn).put("Name", name);
    }

    private static ObjectNode withStages(ObjectNode answer, List<String> stages) {
        ArrayNode list = answer.putArray("VersionStages");
        stages.forEach(list::add);
        return answer;
    }

    private static ResponseDefinition notFound() {
        return error("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }

    private static ResponseDefinition ok(JsonNode body) {
        return ResponseDefinitionBuilder.responseDefinition()
                .withStatus(200)
                .withHeader("Content-Type", EcsWire.JSON_1_1)
                .withBody(body.toString())
                .build();
    }

    private static ResponseDefinition error(String type, String message) {
        ObjectNode body = EcsWire.JSON.createObjectNode().put("__type", type).put("message", message);
        return ResponseDefinitionBuilder.responseDefinition()
                .withStatus(400)
                .withHeader("Content-Type", EcsWire.JSON_1_1)
                .withBody(body.toString())
                .build();
    }
}
