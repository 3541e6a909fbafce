package dev.tenantprovisioner.bench.coldstart;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts each build as Lambda starts a Java function (the runtime interface client, Lambda's JVM flags,
 * the task root as working directory) against a local Runtime API, with DynamoDB (moto), ECS and a dead
 * endpoint for anything else on loopback, and measures init, the first and the warm invocations.
 *
 * <p>Usage: {@code ColdStart <results dir> <runtime class path> <cold runs> <warm invocations> <build>...}
 */
public final class ColdStart {

    /** The flags Lambda's Java 17/21 runtime starts the JVM with (heap sized for a 1024 MB function). */
    static final List<String> LAMBDA_JVM_FLAGS = List.of(
            "-XX:+TieredCompilation",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xshare:auto",
            "-Xmx870m",
            "-Djava.net.preferIPv4Stack=true");

    static final String API_KEY = "bench-api-key-0123456789";
    private static final Pattern STATUS = Pattern.compile("\"statusCode\"\\s*:\\s*(\\d+)");
    private static final long TIMEOUT_SECONDS = 60;

    private final Path results;
    private final String runtimeClassPath;
    private final BackendTime backend = new BackendTime();
    private Map<String, String> services = Map.of();

    private ColdStart(Path results, String runtimeClassPath) {
        this.results = results;
        this.runtimeClassPath = runtimeClassPath;
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args[0]);
        Files.createDirectories(results.resolve("logs"));
        int coldRuns = Integer.parseInt(args[2]);
        int warmInvocations = Integer.parseInt(args[3]);
        List<FunctionBuild> builds = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            builds.add(FunctionBuild.parse(args[i]));
        }
        new ColdStart(results, args[1]).run(builds, coldRuns, warmInvocations);
    }

    private void run(List<FunctionBuild> builds, int coldRuns, int warmInvocations) throws Exception {
        Map<String, Figures> figures = new LinkedHashMap<>();
        builds.forEach(b -> figures.put(b.name(), new Figures()));
        try (Moto moto = new Moto(results.resolve("logs/moto.log").toFile());
                TimingRelay dynamoDb = new TimingRelay(moto.port(), backend);
                FakeEcs fakeEcs = new FakeEcs();
                TimingRelay ecs = new TimingRelay(fakeEcs.port(), backend);
                ContainerCredentials credentials = new ContainerCredentials()) {
            services = Map.of("dynamodb", dynamoDb.endpoint(), "ecs", ecs.endpoint(), "credentials", credentials.uri());
            // Round 0 counts classes (class-load logging slows the JVM, so it is kept out of the timings);
            // the builds take turns in every round, so noise on the machine hits all of them alike.
            for (int round = 0; round <= coldRuns; round++) {
                for (FunctionBuild build : builds) {
                    // Every start meets an empty table: moto slows down as it fills, which would favour early runs.
                    moto.reset();
                    moto.createTable("PortTracking");
                    measure(build, round, round == 0 ? 0 : warmInvocations, figures.get(build.name()));
                }
                System.err.printf("round %d of %d done%n", round, coldRuns);
            }
        }
        new Report(figures, builds, coldRuns, warmInvocations).write(results.resolve("cold-start.txt"));
    }

    private void measure(FunctionBuild build, int round, int warmInvocations, Figures into) throws Exception {
        boolean countClasses = round == 0;
        Path classLog = results.resolve("logs/" + build.name() + "-classes.log");
        if (countClasses) {
            Files.deleteIfExists(classLog); // kept afterwards, for a look at what the first response loads
        }
        try (RuntimeApi api = new RuntimeApi()) {
            List<String> command = new ArrayList<>();
            String cpu = System.getProperty("bench.cpu", "");
            if (!cpu.isEmpty()) {
                // Roughly the CPU share of a 1024 MB function (a full vCPU comes at 1769 MB).
                command.addAll(List.of("taskset", "-c", cpu));
            }
            command.add("java");
            command.addAll(LAMBDA_JVM_FLAGS);
            // Class data sharing for the application's classes too: "cds" runs from the archive that a start of
            // "cds-training" wrote at its exit (a dynamic archive; the classes come from the jar in the task root's
            // lib/).
            if (build.name().equals("cds")) {
                command.add("-XX:SharedArchiveFile="
                        + build.taskRoot().toAbsolutePath().resolveSibling("cds.jsa"));
            } else if (build.name().equals("cds-training")) {
                command.add("-XX:ArchiveClassesAtExit="
                        + build.taskRoot().toAbsolutePath().resolveSibling("cds.jsa"));
            }
            if (build.snapStart()) {
                // The runtime client's CRaC context runs the hooks, as in Lambda's managed runtime.
                command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
            }
            String extra = System.getProperty("bench.jvmExtra", "").trim();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+"))); // e.g. a profiler, for a look, never for the figures
            }
            if (countClasses) {
                command.add("-Xlog:class+load=info:file=" + classLog.toAbsolutePath());
            }
            command.addAll(List.of(
                    "-cp",
                    runtimeClassPath,
                    "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                    build.handler()));
            ProcessBuilder spawn = new ProcessBuilder(command)
                    .directory(build.taskRoot().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(results.resolve("logs/" + build.name() + "-round" + round + ".log")
                            .toFile());
            spawn.environment().putAll(environment(build, api));

            api.invoke(Events.provision(tenant(build, round, 0)));
            long spawnedAt = System.nanoTime();
            Process function = spawn.start();
            try {
                long initDoneAt = api.awaitPoll(TIMEOUT_SECONDS);
                RuntimeApi.Result first = check(build, api.awaitResult(TIMEOUT_SECONDS));
                if (countClasses) {
                    api.awaitPoll(TIMEOUT_SECONDS); // idle again: every class the first response needed is loaded
                    into.classesBeforeFirstResponse = Files.readAllLines(classLog).stream()
                            .filter(line -> line.contains("class,load"))
                            .count();
                    into.firstAnswer = first.body();
                    return;
                }
                into.init.add(initDoneAt - spawnedAt);
                into.firstInvocation.add(first.nanos());
                into.firstResponse.add(first.answeredAt() - spawnedAt);
                long cpuBefore = cpuNanos(function);
                for (int i = 1; i <= warmInvocations; i++) {
                    long backendBefore = backend.nanos();
                    long requestsBefore = backend.calls();
                    long connectionsBefore = backend.connections();
                    api.invoke(Events.provision(tenant(build, round, i)));
                    RuntimeApi.Result warm = check(build, api.awaitResult(TIMEOUT_SECONDS));
                    long backendNanos = backend.nanos() - backendBefore;
                    into.warm.add(warm.nanos());
                    into.warmBackend.add(backendNanos);
                    into.warmOverhead.add(warm.nanos() - backendNanos);
                    into.warmInvocations++;
                    into.warmRequests += backend.calls() - requestsBefore;
                    into.warmConnections += backend.connections() - connectionsBefore;
                }
                into.warmCpuNanos += cpuNanos(function) - cpuBefore;
            } finally {
                function.destroy();
                if (!function.waitFor(10, TimeUnit.SECONDS)) {
                    function.destroyForcibly();
                }
            }
        }
    }

    /**
     * CPU time the function's process has used so far, every thread included (JIT, GC), from /proc (Linux; clock ticks
     * of 10 ms, fine over many invocations); 0 where there is no /proc.
     */
    private static long cpuNanos(Process function) {
        try {
            String stat = Files.readString(Path.of("/proc/" + function.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
        } catch (IOException | RuntimeException unknown) {
            return 0;
        }
    }

    private static String tenant(FunctionBuild build, int round, int invocation) {
        return (build.name() + "-r" + round + "-i" + invocation).toLowerCase();
    }

    private static RuntimeApi.Result check(FunctionBuild build, RuntimeApi.Result result) throws TimeoutException {
        Matcher status = STATUS.matcher(result.body());
        if (result.error() || !status.find() || Integer.parseInt(status.group(1)) != build.expectedStatus()) {
            throw new IllegalStateException(build.name() + ": expected status " + build.expectedStatus()
                    + ", the function answered " + result.body());
        }
        return result;
    }

    /** What Lambda sets, the configuration the project reads, and every AWS endpoint pointed at loopback. */
    private Map<String, String> environment(FunctionBuild build, RuntimeApi api) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("_HANDLER", build.handler());
        env.put("LAMBDA_TASK_ROOT", build.taskRoot().toAbsolutePath().toString());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "bench-" + build.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/bench");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "bench");
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_DEFAULT_REGION", "eu-west-1");
        // As Lambda hands credentials to a SnapStart function: a container credentials endpoint, no access key
        // variables.
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", services.get("credentials"));
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", ContainerCredentials.TOKEN);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        if (build.snapStart()) {
            // The runtime client then runs the beforeCheckpoint hooks, asks the Runtime API for the restore, and runs
            // the afterRestore hooks before the first invocation (no snapshot is taken here).
            env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        }
        // Anything not redirected below goes to a closed loopback port rather than to AWS.
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", services.get("dynamodb"));
        env.put("DYNAMODB_ENDPOINT", services.get("dynamodb"));
        env.put("AWS_ENDPOINT_URL_ECS", services.get("ecs"));
        env.put("ECS_ENDPOINT", services.get("ecs"));
        env.put("EC2_ENDPOINT", "http://127.0.0.1:9");
        env.put("API_KEYS", API_KEY);
        env.put("PORT_TABLE_NAME", "PortTracking");
        env.put("NOTIFY_WHEN", "running");
        // As template.yaml's Globals set them: links through the TLS proxy, ready when the link answers. The fake ECS
        // keeps every task PENDING, so the link is never probed during a measured provision.
        env.put("PROXY", "https");
        env.put("PROXY_PORT", "443");
        env.put("PROXY_HTTP_PORT", "80");
        env.put("PROXY_UPSTREAM_HOST", "127.0.0.1");
        env.put("PROXY_POLL_INTERVAL", "10s");
        env.put("PROXY_ASK_PORT", "2021");
        env.put("READY_PATH", "/");
        env.put("READY_DEADLINE", "5m");
        env.put("READY_WAIT", "0s");
        env.put("TASK_START_DEADLINE", "10m");
        env.put("PORT_HOLD_GRACE", "10m");
        env.put("DYNAMODB_MAX_ATTEMPTS", "8");
        env.put("ECS_CLUSTER", "bench");
        env.put("ECS_TASK_DEFINITION", "tenant-app");
        env.put("ECS_CONTAINER_NAME", "tenant-app");
        env.put("RESEND_API_KEY", "re_bench_0123456789");
        env.put("RESEND_FROM", "Bench <bench@example.com>");
        env.put("HOME", System.getProperty("java.io.tmpdir") + File.separator + "bench-home");
        return env;
    }
}
