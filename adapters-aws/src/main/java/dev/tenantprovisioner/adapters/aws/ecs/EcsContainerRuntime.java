package dev.tenantprovisioner.adapters.aws.ecs;

import dev.tenantprovisioner.domain.model.InvalidValueException;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.ContainerStatus;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.LiveTask;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import dev.tenantprovisioner.domain.spi.StopReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Runs each tenant as one ECS task on an EC2-backed cluster. Start is RunTask, status is DescribeTasks (plus,
 * without a configured public host, DescribeContainerInstances and EC2 for the instance's address), stop is
 * StopTask.
 */
public final class EcsContainerRuntime implements ContainerRuntime {

    private final EcsClient ecs;
    private final Ec2PublicAddresses ec2;
    private final EcsSettings settings;
    private final TaskDefinitionCopies copies;
    private final Optional<TenantSecrets> secrets;
    /**
     * Public addresses by container instance. Status is asked on every repeat and every status poll, and
     * without this each would cost DescribeContainerInstances and an EC2 call for an answer that only
     * changes when the instance is stopped and started; five minutes bounds how stale it can get.
     */
    private final Map<String, KnownAddress> addresses = new ConcurrentHashMap<>();

    static final Duration ADDRESS_TTL = Duration.ofMinutes(5);
    private static final int MAX_KNOWN_ADDRESSES = 1024;

    private record KnownAddress(Ipv4Address address, long expiresAtNanos) {}

    public EcsContainerRuntime(EcsClient ecs, Ec2PublicAddresses ec2, EcsSettings settings) {
        this(ecs, ec2, settings, Optional.empty());
    }

    /**
     * With {@code secretsManager}, containers' secrets go into a Secrets Manager secret per tenant
     * ({@link EcsSettings#secretsPrefix}) that the tenant's task definition references.
     */
    public EcsContainerRuntime(
            EcsClient ecs,
            Ec2PublicAddresses ec2,
            EcsSettings settings,
            Optional<SecretsManagerClient> secretsManager) {
        this.ecs = ecs;
        this.ec2 = ec2;
        this.settings = settings;
        this.copies = new TaskDefinitionCopies(ecs, settings);
        if (settings.secretsPrefix().isPresent() && secretsManager.isEmpty()) {
            throw new IllegalArgumentException("ecs.secretsPrefix is set but no Secrets Manager client was given");
        }
        this.secrets =
                settings.secretsPrefix().flatMap(prefix -> secretsManager.map(c -> new TenantSecrets(c, prefix)));
    }

    /**
     * RunTask with a client token derived from the start token, so the SDK's own retries and the use case's
     * retries of one start all return the first call's task. ECS remembers a client token only for a limited
     * time; a retry after that would start a second task. It never comes to that: the registry records the
     * task as soon as RunTask answers (the lease moves to CONTAINER_STARTED) and the use case never starts a
     * lease in that state again, so only a start whose answer was lost is ever repeated, and it is repeated
     * right away. A restart or a new generation has a new start token and is meant to start a new task.
     */
    @Override
    public StartOutcome start(ContainerSpec spec) {
        String taskDefinition = copies.definitionFor(spec.tenant(), spec.port(), secretSource(spec));
        RunTaskResponse response;
        try {
            response = ecs.runTask(RunTaskRequests.of(settings, taskDefinition, spec));
        } catch (ClientException e) {
            // With managed scaling, ECS refuses the start outright once the cluster's quota of tasks waiting in
            // PROVISIONING is reached (RunTask API reference); that is a full cluster, not a configuration error.
            if (String.valueOf(
                            e.awsErrorDetails() == null
                                    ? e.getMessage()
                                    : e.awsErrorDetails().errorMessage())
                    .contains("provisioning capacity limit")) {
                return new StartOutcome.NoCapacity(e.awsErrorDetails().errorMessage());
            }
            throw EcsFailures.of("RunTask", e);
        } catch (SdkException e) {
            throw EcsFailures.of("RunTask", e);
        }
        if (!response.tasks().isEmpty()) {
            Task task = response.tasks().get(0);
            Optional<String> portTaken = queuedForATakenPort(task, spec);
            if (portTaken.isPresent()) {
                // Moved on from, as with RESOURCE:PORTS: the queued task is stopped, and the tenant tries another port.
                stopTask(
                        TaskId.of(task.taskArn()),
                        "tenant-provisioner: tenant " + spec.tenant().value() + ": " + portTaken.get());
                return new StartOutcome.PortInUse(portTaken.get());
            }
            // RunTask answers the task as it stands (RunTask API reference, "tasks": "A full description of the tasks
            // that were run"), almost always PROVISIONING or PENDING: a DescribeTasks right after it would say the
            // same.
            return new StartOutcome.Started(TaskId.of(task.taskArn()), !"RUNNING".equals(task.lastStatus()));
        }
        if (EcsFailures.portTaken(response.failures())) {
            return new StartOutcome.PortInUse(EcsFailures.noRoom(response.failures())
                            .orElseThrow() + ": the host port is reserved by another task on every instance");
        }
        Optional<String> noRoom = EcsFailures.noRoom(response.failures());
        if (noRoom.isPresent()) {
            return new StartOutcome.NoCapacity(noRoom.get());
        }
        throw EcsFailures.notPlaced(spec.tenant().value(), response.failures());
    }

    /**
     * Whether a task that a capacity provider queued waits for a host port that no container instance can give it.
     *
     * <p>Why this is needed: with managed scaling, ECS does not refuse a task it cannot place (no {@code RESOURCE:PORTS}
     * failure, as launch type EC2 gives): "tasks that can't be started due to a lack of compute capacity are moved to
     * the PROVISIONING state rather than failing immediately" (developer guide, "Standalone tasks"), and managed scaling
     * bin-packs on "vCPU, memory, elastic network interface (ENI), ports, and GPUs" (developer guide, "Amazon ECS
     * cluster auto scaling"). A taken host port would then wait until the start deadline and end as "no capacity". No
     * AWS document gives the stopped reason of such a task, and none is assumed here.
     *
     * <p>What is used instead, only what ECS documents: RunTask answered a task on no container instance (queued, not
     * placed), and every ACTIVE container instance already lists the tenant's host port among its reserved ports
     * ({@code remainingResources}, resource {@code PORTS}: "the ports that were reserved by the Amazon ECS container
     * agent (at instance registration time) and any task containers that have reserved port mappings on the host (with
     * the host or bridge network mode). Any port that's not specified here is available for new tasks.",
     * ContainerInstance, API reference, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerInstance.html).
     * Then no instance there can take the task, whatever else it waits for; a new instance might, but another port on
     * the instances there is the quicker and cheaper way. Only bridge mode maps the host port (host mode's task
     * definition maps none, so ECS does not reserve it); with no instance at all there is nothing to judge by, and the
     * task waits for one. A port taken after the check still waits for the deadline.
     */
    private Optional<String> queuedForATakenPort(Task task, ContainerSpec spec) {
        if (settings.capacityProviders().isEmpty()
                || settings.networkMode() != EcsSettings.NetworkMode.BRIDGE
                || task.containerInstanceArn() != null) {
            return Optional.empty();
        }
        String port = Integer.toString(spec.port().value());
        List<String> instances = call(
                "ListContainerInstances",
                () -> ecs
                        .listContainerInstancesPaginator(
                                r -> r.cluster(settings.cluster()).status(ContainerInstanceStatus.ACTIVE))
                        .containerInstanceArns()
                        .stream()
                        .toList());
        if (instances.isEmpty()) {
            return Optional.empty();
        }
        int reserving = 0;
        // DescribeContainerInstances takes up to 100 container instances per call (API reference).
        for (int from = 0; from < instances.size(); from += 100) {
            List<String> batch = instances.subList(from, Math.min(from + 100, instances.size()));
            for (ContainerInstance instance : call(
                            "DescribeContainerInstances",
                            () -> ecs.describeContainerInstances(
                                    r -> r.cluster(settings.cluster()).containerInstances(batch)))
                    .containerInstances()) {
                boolean reserved = instance.remainingResources().stream()
                        .anyMatch(resource -> "PORTS".equals(resource.name())
                                && resource.stringSetValue().contains(port));
                if (!reserved) {
                    return Optional.empty();
                }
                reserving++;
            }
        }
        if (reserving == 0 || placedSince(task)) {
            return Optional.empty();
        }
        return Optional.of("host port " + port + " is reserved on every container instance (" + reserving
                + "): the task waited in PROVISIONING, where no instance could take it");
    }

    /**
     * Whether the task found an instance after all. Asked after the instances were read: a task still on no instance
     * now was on none then, so the reservations seen were not its own.
     */
    private boolean placedSince(Task queued) {
        List<Task> now = call(
                        "DescribeTasks",
                        () -> ecs.describeTasks(
                                r -> r.cluster(settings.cluster()).tasks(queued.taskArn())))
                .tasks();
        return now.isEmpty() || now.get(0).containerInstanceArn() != null;
    }

    /**
     * Where the container's secrets come from: the tenant's Secrets Manager secret, written now (a repeat writes
     * nothing new). Never as RunTask overrides, which anyone who may describe tasks can read.
     */
    private Optional<TaskDefinitionCopies.SecretSource> secretSource(ContainerSpec spec) {
        if (spec.secrets().isEmpty()) {
            return Optional.empty();
        }
        TenantSecrets store = secrets.orElseThrow(() -> new InfrastructureException(
                "the container of " + spec.tenant() + " has secrets ("
                        + String.join(", ", spec.secrets().keySet())
                        + ") and ECS_SECRETS_PREFIX is not set: set it, so they are handed over through Secrets"
                        + " Manager instead of in the task's overrides",
                false));
        String arn = store.put(spec.tenant(), spec.secrets());
        return Optional.of(
                new TaskDefinitionCopies.SecretSource(arn, spec.secrets().keySet()));
    }

    /** Deletes the tenant's secret and deregisters its own task definition revisions. */
    @Override
    public void forget(TenantId tenant) {
        if (secrets.isPresent()) {
            secrets.get().delete(tenant);
            copies.forget(tenant);
        }
    }

    @Override
    public ContainerStatus status(TaskId task) {
        DescribeTasksResponse response = call(
                "DescribeTasks",
                () -> ecs.describeTasks(r -> r.cluster(settings.cluster()).tasks(task.value())));
        if (response.tasks().isEmpty()) {
            // ECS forgets stopped tasks after a while and answers MISSING, as it does for a task it never ran.
            if (response.failures().stream().allMatch(f -> "MISSING".equals(f.reason()))) {
                return ContainerStatus.gone();
            }
            throw EcsFailures.notDescribed(task.value(), response.failures());
        }
        Task found = response.tasks().get(0);
        String lastStatus = String.valueOf(found.lastStatus());
        switch (lastStatus) {
            case "RUNNING":
                return ContainerStatus.running(host(found));
            case "DEACTIVATING":
            case "STOPPING":
            case "DEPROVISIONING":
                // Its containers may still hold the host port until ECS reports the task STOPPED.
                return ContainerStatus.stopping(stopReason(found));
            case "STOPPED":
            case "DELETED":
                if (secretNotReadableYet(found)) {
                    return ContainerStatus.failedToStart(stopReason(found));
                }
                if (neverRanForLackOfRoom(found)) {
                    return ContainerStatus.noCapacity(stopReason(found));
                }
                return exitedWithSuccess(found)
                        ? ContainerStatus.exited(stopReason(found))
                        : ContainerStatus.stopped(stopReason(found));
            default:
                // PROVISIONING, PENDING, ACTIVATING, and any status ECS adds later: not there yet, ask again.
                return ContainerStatus.pending(lastStatus);
        }
    }

    /**
     * The tenants' tasks ECS has not been asked to stop, every page of them: {@code ListTasks} on the cluster with
     * {@code desiredStatus} {@code RUNNING}, 100 a page (the most {@code maxResults} takes, "between 1 and 100"), following
     * {@code nextToken} until ECS returns none ("This value is null when there are no more results to return"), then
     * {@code DescribeTasks} in batches of 100 ("A list of up to 100 task IDs or full ARN entries") with their tags
     * ({@code include TAGS}). ListTasks API reference,
     * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html; DescribeTasks,
     * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html.
     *
     * <p>Why the whole cluster and not a filter: {@code startedBy} names one tenant and "must be the only filter that
     * you use", and {@code family} names one task definition family, while bridge mode and tenant secrets give each
     * port and each tenant a family of their own. The cluster's other tasks (the proxy's daemon service) carry no tenant
     * tag and are left out. {@code desiredStatus} is sent although {@code RUNNING} is the documented default, because
     * moto's ListTasks has no default and lists stopped tasks too.
     */
    @Override
    public List<LiveTask> liveTasks() {
        List<String> arns = new ArrayList<>();
        String next = null;
        do {
            String from = next;
            ListTasksResponse page = call(
                    "ListTasks",
                    () -> ecs.listTasks(r -> r.cluster(settings.cluster())
                            .desiredStatus(DesiredStatus.RUNNING)
                            .maxResults(PAGE)
                            .nextToken(from)));
            arns.addAll(page.taskArns());
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        List<LiveTask> live = new ArrayList<>();
        for (int from = 0; from < arns.size(); from += PAGE) {
            List<String> batch = arns.subList(from, Math.min(from + PAGE, arns.size()));
            DescribeTasksResponse described = call(
                    "DescribeTasks",
                    () -> ecs.describeTasks(
                            r -> r.cluster(settings.cluster()).tasks(batch).include(TaskField.TAGS)));
            for (Task task : described.tasks()) {
                tenantTask(task).ifPresent(live::add);
            }
        }
        return live;
    }

    /** ListTasks' largest page and DescribeTasks' largest batch (API reference). */
    static final int PAGE = 100;

    /** A task of a tenant, by the tags the adapter puts on every task it starts; empty for any other task. */
    private static Optional<LiveTask> tenantTask(Task task) {
        if ("STOPPED".equals(task.lastStatus()) || "DELETED".equals(task.lastStatus())) {
            return Optional.empty();
        }
        Optional<String> tenant = tag(task, RunTaskRequests.TENANT_TAG);
        if (tenant.isEmpty() || !tenant.get().equals(task.startedBy())) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LiveTask(
                    TaskId.of(task.taskArn()), TenantId.of(tenant.get()), tag(task, RunTaskRequests.START_TAG)));
        } catch (InvalidValueException notATenant) {
            return Optional.empty();
        }
    }

    private static Optional<String> tag(Task task, String key) {
        return task.tags().stream()
                .filter(tag -> key.equals(tag.key()))
                .map(Tag::value)
                .findFirst();
    }

    /**
     * StopTask with the provisioner's reason, which ECS shows afterwards as the task's {@code stoppedReason} ("the
     * message appears in subsequent DescribeTasks API operations on this task", StopTask API reference,
     * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopTask.html). The reference sets no maximum
     * length; the reasons are short ASCII sentences, well inside the 1,024 characters ECS's agent keeps to.
     */
    @Override
    public void stop(TaskId task, TenantId tenant, StopReason reason) {
        stopTask(task, "tenant-provisioner: tenant " + tenant.value() + ": " + reason.text());
    }

    private void stopTask(TaskId task, String reason) {
        try {
            ecs.stopTask(r -> r.cluster(settings.cluster()).task(task.value()).reason(reason));
        } catch (InvalidParameterException e) {
            // ECS's answer for a task it has forgotten (or never ran): there is nothing left to stop.
            if (!String.valueOf(e.getMessage()).contains("task was not found")) {
                throw EcsFailures.of("StopTask", e);
            }
        } catch (SdkException e) {
            throw EcsFailures.of("StopTask", e);
        }
    }

    private Optional<Ipv4Address> host(Task task) {
        if (settings.publicHost().isPresent()) {
            return settings.publicHost();
        }
        String instanceArn = task.containerInstanceArn();
        if (instanceArn == null) {
            return Optional.empty();
        }
        KnownAddress known = addresses.get(instanceArn);
        if (known != null && known.expiresAtNanos() - System.nanoTime() > 0) {
            return Optional.of(known.address());
        }
        List<ContainerInstance> instances = call(
                        "DescribeContainerInstances",
                        () -> ecs.describeContainerInstances(
                                r -> r.cluster(settings.cluster()).containerInstances(instanceArn)))
                .containerInstances();
        if (instances.isEmpty() || instances.get(0).ec2InstanceId() == null) {
            return Optional.empty();
        }
        Optional<Ipv4Address> address = ec2.of(instances.get(0).ec2InstanceId());
        address.ifPresent(found -> remember(instanceArn, found));
        return address;
    }

    /**
     * Drops the remembered instance addresses. Their expiry is measured on {@code System.nanoTime()}, whose
     * origin changes when a JVM is restored from a snapshot, so a restored copy starts without them.
     */
    public void forgetHostAddresses() {
        addresses.clear();
    }

    private void remember(String instanceArn, Ipv4Address address) {
        if (addresses.size() >= MAX_KNOWN_ADDRESSES) {
            addresses.clear();
        }
        addresses.put(instanceArn, new KnownAddress(address, System.nanoTime() + ADDRESS_TTL.toNanos()));
    }

    /**
     * A task that a capacity provider queued in PROVISIONING and that capacity never came for: ECS stops it with
     * stop code {@code TaskFailedToStart} and a reason naming the resource ({@code RESOURCE:MEMORY}...) or the empty
     * capacity provider. Sources: Amazon ECS developer guide, "API failure reasons" (DescribeTasks:
     * {@code TaskFailedToStart: RESOURCE:*}) and "Standalone tasks" (the PROVISIONING state); the blog post "Deep
     * Dive on Amazon ECS Cluster Auto Scaling" (tasks wait 10 to 30 minutes for capacity, then stop).
     */
    private static boolean neverRanForLackOfRoom(Task task) {
        String reason = String.valueOf(task.stoppedReason()).toUpperCase(java.util.Locale.ROOT);
        return task.stopCode() == TaskStopCode.TASK_FAILED_TO_START
                && task.startedAt() == null
                && (reason.contains("RESOURCE:") || reason.contains("CAPACITY"));
    }

    /**
     * A task that stopped before it ran because ECS could not read its secret: Secrets Manager "uses a distributed
     * computing model called eventual consistency. Any change that you make ... takes time to become visible" (Secrets
     * Manager user guide, "Troubleshoot AWS Secrets Manager",
     * https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html), so a secret written just before
     * RunTask may not be found yet. ECS's agent on EC2 then stops the task with "Fetching secret data from AWS Secrets
     * Manager in region {region}: secret {secretARN}: ResourceNotFoundException: Secrets Manager can't find the
     * specified secret." (ECS developer guide, "Troubleshoot Amazon ECS ResourceNotFoundException errors",
     * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-not-found-error.html), Fargate with
     * "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed:
     * unable to retrieve secret from asm: ..." (re:Post Knowledge Center,
     * https://repost.aws/knowledge-center/ecs-unable-to-pull-secrets). Only "not found" counts: a refused permission
     * (AccessDeniedException) does not pass with time.
     */
    static boolean secretNotReadableYet(Task task) {
        String reason = String.valueOf(task.stoppedReason());
        return task.startedAt() == null
                && reason.contains("ResourceNotFoundException")
                && (reason.contains("Secrets Manager") || reason.contains("unable to pull secrets"));
    }

    /**
     * Whether the task's app ended by itself with success: ECS stopped it because its essential container exited
     * ({@code EssentialContainerExited}), and that container's exit code is 0 (Task and Container, API reference).
     */
    private boolean exitedWithSuccess(Task task) {
        return task.stopCode() == TaskStopCode.ESSENTIAL_CONTAINER_EXITED
                && appContainer(task)
                        .map(container -> Integer.valueOf(0).equals(container.exitCode()))
                        .orElse(false);
    }

    private Optional<software.amazon.awssdk.services.ecs.model.Container> appContainer(Task task) {
        return task.containers().stream()
                .filter(container -> settings.containerName().equals(container.name()))
                .findFirst();
    }

    /** ECS's reason, with the app container's exit code and reason where ECS gives them (137, "OutOfMemoryError..."). */
    private String stopReason(Task task) {
        String reason;
        if (task.stoppedReason() != null) {
            reason = task.stoppedReason();
        } else {
            reason = task.stopCode() != null ? task.stopCodeAsString() : task.lastStatus();
        }
        Optional<software.amazon.awssdk.services.ecs.model.Container> app = appContainer(task);
        if (app.isPresent() && (app.get().exitCode() != null || app.get().reason() != null)) {
            String exit =
                    app.get().exitCode() != null ? "exit code " + app.get().exitCode() : "";
            String why = app.get().reason() != null ? app.get().reason() : "";
            reason += " (" + exit + (exit.isEmpty() || why.isEmpty() ? "" : ": ") + why + ")";
        }
        return reason;
    }

    private static <T> T call(String operation, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw EcsFailures.of(operation, e);
        }
    }
}
