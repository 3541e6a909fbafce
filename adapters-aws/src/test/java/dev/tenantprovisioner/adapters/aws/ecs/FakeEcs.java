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
 *   <li>DescribeTasks answers MISSING for tasks it never ran, takes "up to 100" tasks and refuses more, and shows a
 *       task's tags only when asked ({@code include: ["TAGS"]}); StopTask refuses unknown tasks with ECS's own error.</li>
 *   <li>ListTasks pages as the API reference says: {@code maxResults} "can be between 1 and 100" (else
 *       InvalidParameterException), "If this parameter isn't used, then ListTasks returns up to 100 results and a
 *       nextToken value if applicable"; {@code nextToken} is opaque and "null when there are no more results to
 *       return"; {@code desiredStatus} filters, and "The default status filter is RUNNING"; {@code startedBy} "must be
 *       the only filter that you use" (refused with other filters, cluster aside); {@code family} filters by the task
 *       definition's family. (ListTasks API reference,
 *       https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html)</li>
 *   <li>Host ports, on its one container instance: a task definition registered here (RegisterTaskDefinition,
 *       DescribeTaskDefinition with its tags) reserves the host ports of its port mappings when its task is placed,
 *       as do {@link #reserveHostPort other tasks}; the ECS agent reserves 22, 2375, 2376, 51678 and 51679 ("the ports
 *       that were reserved by the Amazon ECS container agent (at instance registration time) and any task containers
 *       that have reserved port mappings on the host", ContainerInstance.remainingResources, API reference). A task
 *       whose host port is taken is not placed: launch type EC2 answers {@code RESOURCE:PORTS} ("API failure
 *       reasons": "the resource or resources that are requested by the task are unavailable ... CPU, memory, ports");
 *       a capacity provider queues it in {@code PROVISIONING} on no instance, since managed scaling bin-packs on
 *       "vCPU, memory, elastic network interface (ENI), ports, and GPUs" (developer guide, "Amazon ECS cluster auto
 *       scaling"). ListContainerInstances and DescribeContainerInstances show the instance and its reserved ports
 *       ({@code remainingResources}, resource {@code PORTS}, a string set).</li>
 * </ul>
 * Tests move tasks along with {@link #setStatus}, and inject what happens to tasks behind the provisioner's back:
 * {@link #crash} (the app exits: an exit code and ECS's container reason, stop code {@code EssentialContainerExited}),
 * {@link #hostGone} (its instance terminated) and {@link #forget} (ECS no longer knows the task: MISSING).
 */
public final class FakeEcs implements ResponseDefinitionTransformerV2 {

    static final String NAME = "fake-ecs";
    static final String CLUSTER_ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/tenants";
    static final String INSTANCE_ARN = "arn:aws:ecs:us-east-1:123456789012:container-instance/tenants/c0ffee";

    private final Map<String, String> taskByToken = new HashMap<>();
    private final Map<String, ObjectNode> tasks = new LinkedHashMap<>();
    /** Registered task definitions by ARN, and each family's latest revision. */
    private final Map<String, ObjectNode> definitions = new HashMap<>();

    private final Map<String, String> latestOfFamily = new HashMap<>();
    private final Map<String, JsonNode> definitionTags = new HashMap<>();
    /** Host ports reserved on the instance, by whom: the agent, a task of this fake, or another task. */
    private final Map<Integer, String> reservedPorts =
            new HashMap<>(Map.of(22, "agent", 2375, "agent", 2376, "agent", 51678, "agent", 51679, "agent"));

    private boolean full;
    private boolean placesLate;
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

    /**
     * Room comes just after RunTask answered: queued tasks are placed (their host ports reserved) the moment the
     * container instances are next described, as a placement that finishes after the answer would. No AWS page gives
     * this timing: it stands for "a task it cannot place stays PROVISIONING" (ECS developer guide, "Amazon ECS cluster
     * auto scaling") ending at any moment, the moment a test needs.
     */
    public synchronized void placesQueuedTasksLate() {
        placesLate = true;
    }

    /** A task the provisioner does not know (another stack's, a stray one) holds this host port on the instance. */
    public synchronized void reserveHostPort(int port) {
        reservedPorts.put(port, "another task");
    }

    /** A base task definition, as an operator registered it (JSON as DescribeTaskDefinition returns it). */
    public synchronized void givenTaskDefinition(String definitionJson) {
        ObjectNode definition = (ObjectNode) EcsWire.json(definitionJson);
        definitions.put(definition.path("taskDefinitionArn").asText(), definition);
        latestOfFamily.put(
                definition.path("family").asText(),
                definition.path("taskDefinitionArn").asText());
    }

    public synchronized void setStatus(String taskArn, String lastStatus) {
        ObjectNode task = task(taskArn);
        task.put("lastStatus", lastStatus);
        if ("STOPPED".equals(lastStatus)) {
            task.put("desiredStatus", "STOPPED");
            release(taskArn);
        }
    }

    /**
     * The task's app exits by itself with {@code exitCode} (ECS's container {@code reason} too, when given). The stop
     * code is one of the Task data type's {@code stopCode} values (ECS API reference, "Task"), the reason as ECS's
     * example task state change event shows it (ECS developer guide, "Amazon ECS task state change events").
     */
    public synchronized void crash(String taskArn, int exitCode, String containerReason) {
        ObjectNode task = task(taskArn)
                .put("lastStatus", "STOPPED")
                .put("desiredStatus", "STOPPED")
                .put("stopCode", "EssentialContainerExited")
                .put("stoppedReason", "Essential container in task exited");
        for (JsonNode container : task.path("containers")) {
            ((ObjectNode) container).put("lastStatus", "STOPPED").put("exitCode", exitCode);
            if (containerReason != null) {
                ((ObjectNode) container).put("reason", containerReason);
            }
        }
        release(taskArn);
    }

    /**
     * The task's container instance was terminated under it: stop code {@code TerminationNotice} (ECS API reference,
     * "Task", {@code stopCode}), the reason in the form of ECS developer guide, "Amazon ECS stopped tasks error messages"
     * ("Host EC2 (instance id) stopped/terminated").
     */
    public synchronized void hostGone(String taskArn) {
        task(taskArn)
                .put("lastStatus", "STOPPED")
                .put("desiredStatus", "STOPPED")
                .put("stopCode", "TerminationNotice")
                .put("stoppedReason", "Host EC2 (instance i-0abc123) terminated.");
        release(taskArn);
    }

    /** ECS no longer knows the task ("stopped tasks appear in the returned results for at least one hour"). */
    public synchronized void forget(String taskArn) {
        task(taskArn);
        tasks.remove(taskArn);
        release(taskArn);
    }

    /**
     * Starts {@code count} tasks for another service on the cluster: no tenant tags, and {@code startedBy} the service's
     * deployment ID (ECS API reference, "Task": "If a task is started by an Amazon ECS service, the startedBy parameter
     * contains the deployment ID of that service"), which has the form {@code ecs-svc/<digits>}.
     */
    public synchronized void givenOtherTasks(int count) {
        for (int i = 0; i < count; i++) {
            started++;
            String arn = "arn:aws:ecs:us-east-1:123456789012:task/tenants/" + String.format("%032x", started);
            tasks.put(
                    arn,
                    EcsWire.JSON
                            .createObjectNode()
                            .put("taskArn", arn)
                            .put("clusterArn", CLUSTER_ARN)
                            .put("containerInstanceArn", INSTANCE_ARN)
                            .put("lastStatus", "RUNNING")
                            .put("desiredStatus", "RUNNING")
                            .put("startedBy", "ecs-svc/0123456789")
                            .put("taskDefinitionArn", "arn:aws:ecs:us-east-1:123456789012:task-definition/proxy:1"));
        }
    }

    private ObjectNode task(String taskArn) {
        ObjectNode task = tasks.get(taskArn);
        if (task == null) {
            throw new IllegalArgumentException("the fake never ran " + taskArn);
        }
        return task;
    }

    private void release(String taskArn) {
        reservedPorts.values().removeIf(holder -> holder.equals(taskArn));
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
            case "ListTasks":
                return listTasks(body);
            case "StopTask":
                return stopTask(body);
            case "RegisterTaskDefinition":
                return register(body);
            case "DescribeTaskDefinition":
                return describeDefinition(body);
            case "ListContainerInstances":
                return ok(EcsWire.JSON
                        .createObjectNode()
                        .set(
                                "containerInstanceArns",
                                EcsWire.JSON.createArrayNode().add(INSTANCE_ARN)));
            case "DescribeContainerInstances":
                return describeInstance();
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
        List<Integer> hostPorts = hostPorts(request.path("taskDefinition").asText());
        boolean portTaken = hostPorts.stream().anyMatch(reservedPorts::containsKey);
        if (known != null) {
            placed.add(tasks.get(known));
        } else if ((full || portTaken) && !queues) {
            failures.addObject()
                    .put("arn", INSTANCE_ARN)
                    .put("reason", portTaken ? "RESOURCE:PORTS" : "RESOURCE:MEMORY");
        } else {
            boolean waits = full || portTaken;
            started++;
            String arn = "arn:aws:ecs:us-east-1:123456789012:task/tenants/" + String.format("%032x", started);
            ObjectNode task = EcsWire.JSON
                    .createObjectNode()
                    .put("taskArn", arn)
                    .put("clusterArn", CLUSTER_ARN)
                    .put("containerInstanceArn", INSTANCE_ARN)
                    .put("lastStatus", waits ? "PROVISIONING" : "PENDING")
                    .put("desiredStatus", "RUNNING")
                    .put("startedBy", request.path("startedBy").asText())
                    .put("taskDefinitionArn", request.path("taskDefinition").asText());
            task.set("tags", request.path("tags").deepCopy());
            ArrayNode containers = task.putArray("containers");
            for (JsonNode override : request.path("overrides").path("containerOverrides")) {
                containers
                        .addObject()
                        .put("name", override.path("name").asText())
                        .put("lastStatus", "PENDING");
            }
            if (waits) {
                task.remove("containerInstanceArn"); // not placed on any instance yet
            } else {
                hostPorts.forEach(port -> reservedPorts.put(port, arn));
            }
            tasks.put(arn, task);
            taskByToken.put(token, arn);
            placed.add(task);
        }
        return ok(answer);
    }

    private ResponseDefinition describeTasks(JsonNode request) {
        if (request.path("tasks").size() > 100) {
            // The limit is the API reference's (DescribeTasks, "tasks": "up to 100"); the message is this fake's own.
            return error(400, "InvalidParameterException", "Tasks cannot have more than 100 elements.");
        }
        boolean tags = false;
        for (JsonNode include : request.path("include")) {
            tags |= "TAGS".equals(include.asText());
        }
        ObjectNode answer = EcsWire.JSON.createObjectNode();
        ArrayNode found = answer.putArray("tasks");
        ArrayNode failures = answer.putArray("failures");
        for (JsonNode arn : request.path("tasks")) {
            ObjectNode task = tasks.get(arn.asText());
            if (task == null) {
                failures.addObject().put("arn", arn.asText()).put("reason", "MISSING");
            } else {
                ObjectNode shown = task.deepCopy();
                if (!tags) {
                    shown.remove("tags");
                }
                found.add(shown);
            }
        }
        return ok(answer);
    }

    /** How many ListTasks requests the fake answered, and how many of them carried a nextToken. */
    private int listCalls;

    private int listCallsWithToken;

    public synchronized int listTasksCalls() {
        return listCalls;
    }

    public synchronized int listTasksCallsWithToken() {
        return listCallsWithToken;
    }

    private ResponseDefinition listTasks(JsonNode request) {
        listCalls++;
        boolean byStarter = request.hasNonNull("startedBy");
        for (String other : List.of("family", "desiredStatus", "containerInstance", "serviceName", "launchType")) {
            if (byStarter && request.hasNonNull(other)) {
                return error(
                        400,
                        "InvalidParameterException",
                        "startedBy must be the only filter when it is used; also given: " + other);
            }
        }
        int max = request.path("maxResults").asInt(100);
        if (request.has("maxResults") && (max < 1 || max > 100)) {
            return error(400, "InvalidParameterException", "maxResults must be between 1 and 100.");
        }
        String desired = request.path("desiredStatus").asText("RUNNING");
        String family = request.path("family").asText(null);
        List<String> matching = new ArrayList<>();
        for (ObjectNode task : tasks.values()) {
            boolean matches = byStarter
                    ? request.path("startedBy")
                            .asText()
                            .equals(task.path("startedBy").asText())
                    : desired.equals(task.path("desiredStatus").asText())
                            && (family == null
                                    || task.path("taskDefinitionArn")
                                            .asText()
                                            .contains(":task-definition/" + family + ":"));
            if (matches) {
                matching.add(task.path("taskArn").asText());
            }
        }
        int from = 0;
        if (request.hasNonNull("nextToken")) {
            listCallsWithToken++;
            try {
                from = Integer.parseInt(new String(
                        java.util.Base64.getDecoder()
                                .decode(request.path("nextToken").asText()),
                        java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notOurs) {
                return error(400, "InvalidParameterException", "Invalid nextToken.");
            }
        }
        ObjectNode answer = EcsWire.JSON.createObjectNode();
        ArrayNode arns = answer.putArray("taskArns");
        int to = Math.min(from + max, matching.size());
        matching.subList(Math.min(from, to), to).forEach(arns::add);
        if (to < matching.size()) {
            answer.put(
                    "nextToken",
                    java.util.Base64.getEncoder()
                            .encodeToString(Integer.toString(to).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
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
        reservedPorts
                .values()
                .removeIf(holder -> holder.equals(task.path("taskArn").asText()));
        ObjectNode answer = EcsWire.JSON.createObjectNode();
        answer.set("task", task);
        return ok(answer);
    }

    /** The host ports the task definition maps (none for one this fake does not know). */
    private List<Integer> hostPorts(String taskDefinition) {
        ObjectNode definition = definitions.get(latestOfFamily.getOrDefault(taskDefinition, taskDefinition));
        List<Integer> ports = new ArrayList<>();
        if (definition != null) {
            for (JsonNode container : definition.path("containerDefinitions")) {
                for (JsonNode mapping : container.path("portMappings")) {
                    if (mapping.path("hostPort").asInt(0) > 0) {
                        ports.add(mapping.path("hostPort").asInt());
                    }
                }
            }
        }
        return ports;
    }

    private ResponseDefinition register(JsonNode request) {
        String family = request.path("family").asText();
        int revision = definitions.keySet().stream()
                        .filter(arn -> arn.contains(":task-definition/" + family + ":"))
                        .mapToInt(arn -> Integer.parseInt(arn.substring(arn.lastIndexOf(':') + 1)))
                        .max()
                        .orElse(0)
                + 1;
        String arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/" + family + ":" + revision;
        ObjectNode definition =
                ((ObjectNode) request.deepCopy()).put("taskDefinitionArn", arn).put("revision", revision);
        definition.remove("tags");
        definitions.put(arn, definition);
        latestOfFamily.put(family, arn);
        definitionTags.put(arn, request.path("tags"));
        ObjectNode answer = EcsWire.JSON.createObjectNode();
        answer.set("taskDefinition", definition);
        return ok(answer);
    }

    private ResponseDefinition describeDefinition(JsonNode request) {
        String name = request.path("taskDefinition").asText();
        ObjectNode definition = definitions.get(latestOfFamily.getOrDefault(name, name));
        if (definition == null) {
            return error(400, "ClientException", "Unable to describe task definition.");
        }
        ObjectNode answer = EcsWire.JSON.createObjectNode();
        answer.set("taskDefinition", definition);
        answer.set(
                "tags",
                definitionTags.getOrDefault(
                        definition.path("taskDefinitionArn").asText(), EcsWire.JSON.createArrayNode()));
        return ok(answer);
    }

    private ResponseDefinition describeInstance() {
        if (placesLate) {
            full = false;
            tasks.values().stream()
                    .filter(task ->
                            "PROVISIONING".equals(task.path("lastStatus").asText()))
                    .forEach(task -> {
                        task.put("containerInstanceArn", INSTANCE_ARN).put("lastStatus", "PENDING");
                        hostPorts(task.path("taskDefinitionArn").asText())
                                .forEach(port -> reservedPorts.put(
                                        port, task.path("taskArn").asText()));
                    });
        }
        ObjectNode answer = EcsWire.JSON.createObjectNode();
        ObjectNode instance = answer.putArray("containerInstances").addObject();
        instance.put("containerInstanceArn", INSTANCE_ARN)
                .put("ec2InstanceId", "i-0abc123")
                .put("status", "ACTIVE");
        ArrayNode ports = instance.putArray("remainingResources")
                .addObject()
                .put("name", "PORTS")
                .put("type", "STRINGSET")
                .putArray("stringSetValue");
        reservedPorts.keySet().stream().sorted().forEach(port -> ports.add(Integer.toString(port)));
        answer.putArray("failures");
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
