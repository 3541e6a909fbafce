package dev.tenantprovisioner.adapters.inmemory;

import dev.tenantprovisioner.domain.model.HostPort;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;

/**
 * A {@link ContainerRuntime} that keeps its containers in memory. Like ECS it deduplicates starts by
 * token and refuses a second live container on a host port that is taken (port in use). It can be told
 * to run out of capacity (refusing starts, as ECS's launch type EC2 does, or queueing them, as a capacity
 * provider does), to fail the next calls, or to hold new containers in {@code PENDING} until
 * {@link #markRunning} says otherwise.
 */
public final class InMemoryContainerRuntime implements ContainerRuntime {

    /** One container as the runtime sees it. */
    public record Container(
            TaskId task, TenantId tenant, HostPort port, ContainerStatus.Phase phase, Optional<String> noCapacity) {}

    private Ipv4Address host;
    /** The host each container runs on: the runtime's host when it was started. */
    private final Map<TaskId, Ipv4Address> hosts = new HashMap<>();

    private final Map<TaskId, Container> containers = new LinkedHashMap<>();
    private final Map<String, TaskId> tokens = new HashMap<>();
    /** Host ports of pending and running containers, kept beside the map so a start costs O(1). */
    private final Map<HostPort, TaskId> livePorts = new HashMap<>();
    /** What each container was started with (its variables and secrets included). */
    private final Map<TaskId, ContainerSpec> specs = new HashMap<>();
    /** Why each task was asked to stop, as ECS keeps a stopped task's reason. */
    private final Map<TaskId, StopReason> stopReasons = new HashMap<>();
    /** Tasks that stopped before they ran for want of something that comes later (a secret not readable yet). */
    private final Map<TaskId, String> startFailures = new HashMap<>();

    /** Why a container stopped on its own ({@link #crash}), and which of them exited with success. */
    private final Map<TaskId, String> crashes = new HashMap<>();

    private final java.util.Set<TaskId> cleanExits = new java.util.HashSet<>();

    /** Running containers whose app does not answer (yet): see {@link #silence}. */
    private final java.util.Set<TaskId> silent = new java.util.HashSet<>();

    private final Queue<InfrastructureException> failures = new ArrayDeque<>();
    private int capacity = Integer.MAX_VALUE;
    private boolean startPending;
    private boolean queueWhenFull;
    private long starts;

    public InMemoryContainerRuntime(Ipv4Address host) {
        this.host = host;
    }

    public InMemoryContainerRuntime() {
        this(Ipv4Address.of("127.0.0.1"));
    }

    @Override
    public synchronized StartOutcome start(ContainerSpec spec) {
        throwIfCued();
        TaskId known = tokens.get(spec.startToken());
        if (known != null) {
            return new StartOutcome.Started(known);
        }
        if (livePorts.containsKey(spec.port())) {
            return new StartOutcome.PortInUse(
                    "host port " + spec.port() + " is taken by " + livePorts.get(spec.port()));
        }
        boolean full = livePorts.size() >= capacity;
        if (full && !queueWhenFull) {
            return new StartOutcome.NoCapacity("RESOURCE:MEMORY");
        }
        starts++;
        TaskId task = TaskId.of("inmemory-task-" + starts);
        containers.put(
                task,
                new Container(
                        task,
                        spec.tenant(),
                        spec.port(),
                        startPending || full ? ContainerStatus.Phase.PENDING : ContainerStatus.Phase.RUNNING,
                        Optional.empty()));
        tokens.put(spec.startToken(), task);
        livePorts.put(spec.port(), task);
        specs.put(task, spec);
        hosts.put(task, host);
        return new StartOutcome.Started(task);
    }

    /** What the task was started with: the tenant, its port, its variables and secrets. */
    public synchronized Optional<ContainerSpec> specOf(TaskId task) {
        return Optional.ofNullable(specs.get(task));
    }

    @Override
    public synchronized ContainerStatus status(TaskId task) {
        throwIfCued();
        Container container = containers.get(task);
        if (container == null) {
            return ContainerStatus.gone();
        }
        switch (container.phase()) {
            case RUNNING:
                return ContainerStatus.running(Optional.of(hosts.getOrDefault(task, host)));
            case PENDING:
                return ContainerStatus.pending("PROVISIONING");
            default:
                if (startFailures.containsKey(task)) {
                    return ContainerStatus.failedToStart(startFailures.get(task));
                }
                if (cleanExits.contains(task)) {
                    return ContainerStatus.exited(crashes.get(task));
                }
                if (crashes.containsKey(task)) {
                    return ContainerStatus.stopped(crashes.get(task));
                }
                return container
                        .noCapacity()
                        .map(ContainerStatus::noCapacity)
                        .orElseGet(() -> ContainerStatus.stopped(Optional.ofNullable(stopReasons.get(task))
                                .map(StopReason::text)
                                .orElse("stopped")));
        }
    }

    @Override
    public synchronized void stop(TaskId task, TenantId tenant, StopReason reason) {
        throwIfCued();
        if (containers.containsKey(task)) {
            stopReasons.putIfAbsent(task, reason);
            move(task, ContainerStatus.Phase.STOPPED, Optional.empty());
        }
    }

    /** Why the task was asked to stop (the first time), if it was. */
    public synchronized Optional<StopReason> stopReason(TaskId task) {
        return Optional.ofNullable(stopReasons.get(task));
    }

    /** Containers that are pending or running. */
    public synchronized List<Container> live() {
        List<Container> live = new ArrayList<>();
        for (Container c : containers.values()) {
            if (c.phase() == ContainerStatus.Phase.PENDING || c.phase() == ContainerStatus.Phase.RUNNING) {
                live.add(c);
            }
        }
        return live;
    }

    /** Every container ever started, stopped ones included. */
    public synchronized List<Container> all() {
        return new ArrayList<>(containers.values());
    }

    /** At most {@code containers} live containers; starts beyond that answer no capacity. */
    public synchronized InMemoryContainerRuntime withCapacity(int containers) {
        this.capacity = containers;
        return this;
    }

    /**
     * Past capacity, starts are accepted and wait in {@code PENDING} (as ECS queues tasks in {@code PROVISIONING}
     * for a capacity provider) instead of being refused; {@link #runOutOfCapacity} then stops them.
     */
    public synchronized InMemoryContainerRuntime queueWhenFull(boolean queue) {
        this.queueWhenFull = queue;
        return this;
    }

    /** A queued container gives up waiting for room, as ECS stops a task that capacity never came for. */
    public synchronized void runOutOfCapacity(TaskId task, String reason) {
        move(task, ContainerStatus.Phase.STOPPED, Optional.of(reason));
    }

    /**
     * A pending container stops before it runs because something it needs is not there yet, as an ECS task whose secret
     * Secrets Manager does not serve yet; a new start is expected to work.
     */
    public synchronized void failStart(TaskId task, String reason) {
        startFailures.put(task, reason);
        move(task, ContainerStatus.Phase.STOPPED, Optional.empty());
    }

    /** Containers started from now on run on {@code next}, as ECS places a task on another instance. */
    public synchronized InMemoryContainerRuntime placeOn(Ipv4Address next) {
        this.host = next;
        return this;
    }

    /** New containers stay pending until {@link #markRunning}. */
    public synchronized InMemoryContainerRuntime startPending(boolean pending) {
        this.startPending = pending;
        return this;
    }

    /** The next call (of any kind) throws {@code failure}; queue several to fail several calls. */
    public synchronized InMemoryContainerRuntime failNextCall(InfrastructureException failure) {
        failures.add(failure);
        return this;
    }

    public synchronized void markRunning(TaskId task) {
        move(task, ContainerStatus.Phase.RUNNING, Optional.empty());
    }

    /** The container runs but its app does not answer a request (still starting, or hung), until {@link #wake}. */
    public synchronized void silence(TaskId task) {
        silent.add(task);
    }

    /** The container's app answers again. */
    public synchronized void wake(TaskId task) {
        silent.remove(task);
    }

    /** Whether {@code port} is served: a running container listens there and its app answers. */
    public synchronized boolean answers(HostPort port) {
        TaskId task = livePorts.get(port);
        return task != null && containers.get(task).phase() == ContainerStatus.Phase.RUNNING && !silent.contains(task);
    }

    /** The container dies on its own, as an out-of-memory kill would. */
    public synchronized void crash(TaskId task) {
        move(task, ContainerStatus.Phase.STOPPED, Optional.empty());
    }

    /** The container dies on its own, for {@code reason} (its exit code, the runtime's word). */
    public synchronized void crash(TaskId task, String reason) {
        crashes.put(task, reason);
        move(task, ContainerStatus.Phase.STOPPED, Optional.empty());
    }

    /** The container's app ends by itself with success (exit code 0). */
    public synchronized void exitCleanly(TaskId task) {
        crashes.put(task, "exited with code 0");
        cleanExits.add(task);
        move(task, ContainerStatus.Phase.STOPPED, Optional.empty());
    }

    /** The runtime forgets the task altogether (its host went away, or ECS dropped it): it is gone. */
    public synchronized void vanish(TaskId task) {
        Container c = containers.remove(task);
        if (c != null) {
            livePorts.remove(c.port(), task);
        }
    }

    @Override
    public synchronized List<LiveTask> liveTasks() {
        throwIfCued();
        List<LiveTask> tasks = new ArrayList<>();
        for (Container c : live()) {
            tasks.add(new LiveTask(
                    c.task(),
                    c.tenant(),
                    Optional.ofNullable(specs.get(c.task())).map(ContainerSpec::startToken)));
        }
        return tasks;
    }

    private void move(TaskId task, ContainerStatus.Phase phase, Optional<String> noCapacity) {
        Container c = containers.get(task);
        if (c == null) {
            throw new IllegalArgumentException("no container " + task);
        }
        if (c.phase() == ContainerStatus.Phase.STOPPED && phase != ContainerStatus.Phase.STOPPED) {
            throw new IllegalStateException(
                    "container " + task + " has stopped; a stopped container does not come back");
        }
        containers.put(task, new Container(task, c.tenant(), c.port(), phase, noCapacity));
        if (phase == ContainerStatus.Phase.STOPPED) {
            livePorts.remove(c.port(), task);
        }
    }

    private void throwIfCued() {
        InfrastructureException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
    }
}
