package dev.tenantprovisioner.adapters.aws.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small stateful ECS behind WireMock, following the Amazon ECS API reference (RunTask, DescribeTasks, StopTask;
 * protocol awsJson1_1 as in botocore's {@code ecs/2014-11-13/service-2.json}):
 * <ul>
 *   <li>RunTask remembers client tokens, as the API reference documents for {@code clientToken} (idempotency).</li>
 *   <li>Without room, launch type EC2 answers 200 with {@code failures} of reason {@code RESOURCE:MEMORY} and no task
 *       (developer guide, "API failure reasons"); a capacity provider strategy instead creates the task in
 *       {@code PROVISIONING} (developer guide, "Standalone tasks": "a task is created and initially moved to the
 *       PROVISIONING state ... Amazon ECS needs to find compute capacity"), which {@link #capacityNeverCame} later
 *       stops with stop code {@code TaskFailedToStart} and reason {@code TaskFailedToStart: RESOURCE:MEMORY}
 *       ("API failure reasons", DescribeTasks row).</li>
 *   <li>DescribeTasks answers MISSING for tasks it never ran; StopTask refuses unknown tasks with ECS's own error.</li>
 * </ul>
 * Tests move tasks along with {@link #setStatus}.
 */
public final class FakeEcs implements ResponseDefinitionTransformerV2 {

    static final String NAME = "fake-ecs";
    static final String CLUSTER_ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/tenants";
    static final String INSTANCE_ARN = "arn:aws:ecs:us-east-1:123456789012:container-instance/tenants/c0ffee";

    private final Map<String, String> taskByToken = new HashMap<>();
    private final Map<String, ObjectNode> tasks = new LinkedHashMap<>();
    private boolean full;
    private int started;

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    public synchronized void noCapacity() {
        full = true;
    }

    /** The queued task gives up waiting for room, as ECS stops it when capacity never comes. */
    public synchronized void capacityNeverCame(String taskArn) {
        ObjectNode task = tasks.get(taskArn);
        if (task == null || !"PROVISIONING".equals(task.path("lastStatus").asText())) {
            throw new IllegalArgumentException("the fake holds no task waiting for capacity: " + taskArn);
        }
        task.put("lastStatus", "STOPPED")
                .put("desiredStatus", "STOPPED")
                .put("stopCode", "TaskFailedToStart")
                .put("stoppedReason", "TaskFailedToStart: RESOURCE:MEMORY");
    }

    public synchronized void setStatus(String taskArn, String lastStatus) {
        ObjectNode task = tasks.get(taskArn);
        if (task == null) {
            throw new IllegalArgumentException("the fake never ran " + taskArn);
        }
        task.put("lastStatus", lastStatus);
    }

    /** The ARNs of every task the fake started, in order. */
    public synchronized java.util.List<String> taskArns() {
        return java.util.List.copyOf(tasks.keySet());
    }

    public synchronized int tasksStarted() {
        return started;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        String target = event.getRequest().getHeader("X-Amz-Target");
        JsonNode body = EcsWire.json(event.getRequest().getBodyAsString());
        switch (target.substring(EcsWire.TARGET_PREFIX.length())) {
            case "RunTask":
                return runTask(body);
            case "DescribeTasks":
                return describeTasks(body);
            case "StopTask":
                return stopTask(body);
            default:
                return error(400, "InvalidParameterException", "the fake does not know " + target);
        }
    }

    private ResponseDefinition runTask(JsonNode request) {
        ObjectNode answer = EcsWire.JSON.createObjectNode();
        ArrayNode placed = answer.putArray("tasks");
        ArrayNode failures = answer.putArray("failures");
        String token = request.path("clientToken").asText();
        String known = taskByToken.get(token);
        boolean queues = request.has("capacityProviderStrategy");
        if (known != null) {
            placed.add(tasks.get(known));
        } else if (full && !queues) {
            failures.addObject().put("arn", INSTANCE_ARN).put("reason", "RESOURCE:MEMORY");
        } else {
            started++;
            String arn = "arn:aws:ecs:us-east-1:123456789012:task/tenants/" + String.format("%032x", started);
            ObjectNode task = EcsWire.JSON
                    .createObjectNode()
                    .put("taskArn", arn)
                    .put("clusterArn", CLUSTER_ARN)
                    .put("containerInstanceArn", INSTANCE_ARN)
                    .put("lastStatus", full ? "PROVISIONING" : "PENDING")
                    .put("desiredStatus", "RUNNING")
                    .put("startedBy", request.path("startedBy").asText());
            if (full) {
                task.remove("containerInstanceArn"); // not placed on any instance yet
            }
            tasks.put(arn, task);
            taskByToken.put(token, arn);
            placed.add(task);
        }
        return ok(answer);
    }

    private ResponseDefinition describeTasks(JsonNode request) {
        ObjectNode answer = EcsWire.JSON.createObjectNode();
        ArrayNode found = answer.putArray("tasks");
        ArrayNode failures = answer.putArray("failures");
        for (JsonNode arn : request.path("tasks")) {
            ObjectNode task = tasks.get(arn.asText());
            if (task == null) {
                failures.addObject().put("arn", arn.asText()).put("reason", "MISSING");
            } else {
                found.add(task);
            }
        }
        return ok(answer);
    }

    private ResponseDefinition stopTask(JsonNode request) {
        ObjectNode task = tasks.get(request.path("task").asText());
        if (task == null) {
            return error(400, "InvalidParameterException", "The referenced task was not found.");
        }
        task.put("desiredStatus", "STOPPED")
                .put("lastStatus", "STOPPED")
                .put("stoppedReason", request.path("reason").asText());
        ObjectNode answer = EcsWire.JSON.createObjectNode();
        answer.set("task", task);
        return ok(answer);
    }

    private static ResponseDefinition ok(JsonNode body) {
        return ResponseDefinitionBuilder.responseDefinition()
                .withStatus(200)
                .withHeader("Content-Type", EcsWire.JSON_1_1)
                .withBody(body.toString())
                .build();
    }

    private static ResponseDefinition error(int status, String type, String message) {
        ObjectNode body = EcsWire.JSON.createObjectNode().put("__type", type).put("message", message);
        return ResponseDefinitionBuilder.responseDefinition()
                .withStatus(status)
                .withHeader("Content-Type", EcsWire.JSON_1_1)
                .withBody(body.toString())
                .build();
    }
}
