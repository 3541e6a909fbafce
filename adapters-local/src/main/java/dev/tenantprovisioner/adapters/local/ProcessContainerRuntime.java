package dev.tenantprovisioner.adapters.local;

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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * A {@link ContainerRuntime} that runs each tenant as a process on this machine. A task is running once
 * its port answers a TCP connect on the bind host. Like ECS it deduplicates starts by token; it answers
 * port in use when something already listens on the port, and {@code RESOURCE:TENANTS} past the limit. A process that
 * ends without being asked is reported to the {@link #onExit} listener at once, and one whose port starts answering to
 * the {@link #onRunning} listener within {@link #WATCH_EVERY}, as ECS sends a task state change for each.
 */
public final class ProcessContainerRuntime implements ContainerRuntime, AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 250;
    /** How often a starting process's port is tried until it answers (a refused loopback connect costs microseconds). */
    static final Duration WATCH_EVERY = Duration.ofMillis(20);
    /** How long a start is watched; a process that takes longer is found running by the next status call instead. */
    static final Duration WATCH_FOR = Duration.ofMinutes(2);

    private static final long GRACE_SECONDS = 5;

    private final TenantCommand command;
    private final Ipv4Address host;
    private final int maxTenants;
    private final Optional<Path> logDirectory;
    private final Map<TaskId, TenantProcess> processes = new HashMap<>();
    private final Map<String, TaskId> tokens = new HashMap<>();
    private long started;
    private volatile BiConsumer<TenantId, TaskId> exits = (tenant, task) -> {};
    private volatile BiConsumer<TenantId, TaskId> running = (tenant, task) -> {};
    private final ScheduledExecutorService starts = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread watcher = new Thread(runnable, "tenant-start-watch");
        watcher.setDaemon(true);
        return watcher;
    });

    private record TenantProcess(
            TenantId tenant, HostPort port, Process process, Optional<String> stoppedFor, String startToken) {
        TenantProcess stopped(String reason) {
            return new TenantProcess(tenant, port, process, stoppedFor.or(() -> Optional.of(reason)), startToken);
        }

        boolean stoppedByUs() {
            return stoppedFor.isPresent();
        }
    }

    public ProcessContainerRuntime(
            TenantCommand command, Ipv4Address host, int maxTenants, Optional<Path> logDirectory) {
        this.command = command;
        this.host = host;
        this.maxTenants = maxTenants;
        this.logDirectory = logDirectory;
    }

    @Override
    public synchronized StartOutcome start(ContainerSpec spec) {
        TaskId known = tokens.get(spec.startToken());
        if (known != null) {
            return new StartOutcome.Started(known);
        }
        if (live().size() >= maxTenants) {
            return new StartOutcome.NoCapacity("RESOURCE:TENANTS");
        }
        if (answers(spec.port())) {
            // A process this runtime did not start listens there; the registry holds the port back and moves on.
            return new StartOutcome.PortInUse("something already listens on " + host + ":" + spec.port());
        }
        Process process = spawn(spec);
        started++;
        TaskId task = TaskId.of("local-" + started + "-pid-" + process.pid());
        processes.put(
                task, new TenantProcess(spec.tenant(), spec.port(), process, Optional.empty(), spec.startToken()));
        tokens.put(spec.startToken(), task);
        process.onExit().thenRun(() -> {
            if (!stoppedByUs(task)) {
                exits.accept(spec.tenant(), task);
            }
        });
        watch(spec.tenant(), task, spec.port(), process, System.nanoTime() + WATCH_FOR.toNanos());
        return new StartOutcome.Started(task);
    }

    /** Tries the port of a starting process every {@link #WATCH_EVERY} until it answers, the process ends or time is up. */
    private void watch(TenantId tenant, TaskId task, HostPort port, Process process, long until) {
        try {
            starts.schedule(
                    () -> {
                        if (!process.isAlive() || stoppedByUs(task) || System.nanoTime() > until) {
                            return;
                        }
                        if (answers(port)) {
                            running.accept(tenant, task);
                        } else {
                            watch(tenant, task, port, process, until);
                        }
                    },
                    WATCH_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // The runtime is closing: nobody is left to tell.
        }
    }

    /**
     * Who hears that a tenant's process started answering on its port (its page may still be on its way): called once
     * per start on the runtime's watcher thread, which the listener should not hold up.
     */
    public void onRunning(BiConsumer<TenantId, TaskId> listener) {
        this.running = listener;
    }

    /**
     * Who hears of a tenant's process that ended without being asked (it crashed, exited, or someone killed it): called
     * on a thread of its own as soon as the process is gone.
     */
    public void onExit(BiConsumer<TenantId, TaskId> listener) {
        this.exits = listener;
    }

    private synchronized boolean stoppedByUs(TaskId task) {
        TenantProcess known = processes.get(task);
        return known == null || known.stoppedByUs();
    }

    @Override
    public synchronized List<LiveTask> liveTasks() {
        List<LiveTask> tasks = new ArrayList<>();
        processes.forEach((task, known) -> {
            if (known.process().isAlive() && !known.stoppedByUs()) {
                tasks.add(new LiveTask(task, known.tenant(), Optional.of(known.startToken())));
            }
        });
        return tasks;
    }

    @Override
    public ContainerStatus status(TaskId task) {
        TenantProcess known;
        synchronized (this) {
            known = processes.get(task);
        }
        if (known == null) {
            return ContainerStatus.gone();
        }
        if (!known.process().isAlive()) {
            if (known.stoppedFor().isEmpty() && known.process().exitValue() == 0) {
                return ContainerStatus.exited("process exited with code 0");
            }
            return ContainerStatus.stopped(known.stoppedFor()
                    .map(reason -> "stopped by the runner: " + reason)
                    .orElseGet(
                            () -> "process exited with code " + known.process().exitValue()
                                    + signal(known.process().exitValue())));
        }
        // Probed outside the lock: a slow connect must not hold up starts and stops of other tenants.
        return answers(known.port()) ? ContainerStatus.running(Optional.of(host)) : ContainerStatus.pending();
    }

    @Override
    public void stop(TaskId task, TenantId tenant, StopReason reason) {
        halt(task, reason.text());
    }

    private void halt(TaskId task, String reason) {
        TenantProcess known;
        synchronized (this) {
            known = processes.get(task);
            if (known == null) {
                return;
            }
            processes.put(task, known.stopped(reason));
        }
        terminate(known.process());
    }

    /** The process behind a task, while the runtime knows it. */
    public synchronized Optional<ProcessHandle> process(TaskId task) {
        return Optional.ofNullable(processes.get(task)).map(p -> p.process().toHandle());
    }

    /** Stops every tenant process; the runner calls it on shutdown. */
    @Override
    public void close() {
        starts.shutdownNow();
        List<TaskId> tasks;
        synchronized (this) {
            tasks = new ArrayList<>(processes.keySet());
        }
        for (TaskId task : tasks) {
            halt(task, "the runner shut down");
        }
    }

    private List<TenantProcess> live() {
        return processes.values().stream()
                .filter(p -> p.process().isAlive() && !p.stoppedByUs())
                .toList();
    }

    private Process spawn(ContainerSpec spec) {
        ProcessBuilder builder = new ProcessBuilder(command.argv()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // The tenant's own variables and secrets (its database): a local process has no secret store to read them
        // from, so both arrive in its environment, which only this machine's user can read.
        env.putAll(spec.environment());
        env.putAll(spec.secrets());
        env.put("PORT", Integer.toString(spec.port().value()));
        env.put("TENANT_ID", spec.tenant().value());
        env.put("BIND_HOST", host.value());
        env.put("PROVISIONER_PID", Long.toString(ProcessHandle.current().pid()));
        try {
            if (logDirectory.isPresent()) {
                Files.createDirectories(logDirectory.get());
                builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logDirectory
                        .get()
                        .resolve(spec.tenant().value() + ".log")
                        .toFile()));
            } else {
                builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            // stdin stays a pipe that we never write to: it closes when this JVM dies, however it dies.
            return builder.start();
        } catch (IOException cannotRun) {
            throw new InfrastructureException(
                    "cannot run tenant command " + command.argv() + ": " + cannotRun.getMessage(), false, cannotRun);
        }
    }

    /** The shell's way of saying a signal ended the process (128 + its number), in words for the two usual ones. */
    private static String signal(int exitCode) {
        switch (exitCode) {
            case 137:
                return " (killed: SIGKILL, as an out-of-memory kill would)";
            case 143:
                return " (terminated: SIGTERM)";
            default:
                return "";
        }
    }

    private boolean answers(HostPort port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host.value(), port.value()), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static void terminate(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException stillAlive) {
                handle.destroyForcibly();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            }
        }
        try {
            process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
