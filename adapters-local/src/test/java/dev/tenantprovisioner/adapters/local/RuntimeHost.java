package dev.tenantprovisioner.adapters.local;

import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerSpec;
import dev.tenantprovisioner.domain.spi.StartOutcome;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A stand-in for the runner, run as its own JVM by {@link RunnerKilledTest}: starts one tenant, prints
 * the pids of the tenant's process tree, then waits to be killed.
 * Arguments: bind host, port, and {@code demo} or {@code shell}.
 */
public final class RuntimeHost {

    private RuntimeHost() {}

    public static void main(String[] args) throws InterruptedException {
        Ipv4Address host = Ipv4Address.of(args[0]);
        TenantCommand command = args[2].equals("shell")
                ? TenantCommand.shell("exec " + Processes.demoAppCommandLine())
                : TenantCommand.demoApp();
        ProcessContainerRuntime runtime = new ProcessContainerRuntime(command, host, 4, Optional.empty());
        StartOutcome outcome = runtime.start(
                new ContainerSpec(TenantId.of("acme"), HostPort.of(Integer.parseInt(args[1])), "acme-g1-r0"));
        TaskId task = ((StartOutcome.Started) outcome).task();
        Processes.awaitRunning(runtime, task);
        ProcessHandle process = runtime.process(task).orElseThrow();
        String pids = Stream.concat(Stream.of(process), process.descendants())
                .map(p -> Long.toString(p.pid()))
                .collect(Collectors.joining(" "));
        System.out.println("tenant-pids " + pids);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
