package dev.tenantprovisioner.local;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.sun.net.httpserver.HttpServer;
import dev.tenantprovisioner.adapters.local.Outbox;
import dev.tenantprovisioner.adapters.local.ProcessContainerRuntime;
import dev.tenantprovisioner.adapters.local.TenantCommand;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.TrafficMonitor;
import dev.tenantprovisioner.domain.usecase.ObserveTask;
import dev.tenantprovisioner.domain.usecase.ReconcileTenants;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.domain.usecase.SuspendTenant;
import dev.tenantprovisioner.http.ApiKeys;
import dev.tenantprovisioner.http.HttpApi;
import dev.tenantprovisioner.http.LogOutput;
import dev.tenantprovisioner.http.Problem;
import dev.tenantprovisioner.http.proxy.ProxyConfigRoute;
import dev.tenantprovisioner.http.proxy.ProxySettings;
import dev.tenantprovisioner.http.wiring.CoreModule;
import dev.tenantprovisioner.http.wiring.Env;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs the whole flow on this machine: the HTTP API the Lambda serves, behind a local HTTP server on
 * 127.0.0.1, the landing page, tenants as local processes and the outbox. {@code java -jar tenant-provisioner-local.jar}.
 */
public final class LocalRunner implements AutoCloseable {

    static final int WORKERS = 64;
    /** How long a request may take to arrive in full (headers and body) before its connection is closed. */
    static final int REQUEST_TIMEOUT_SECONDS = 10;

    static {
        // Read once by the JDK's HTTP server (sun.net.httpserver.ServerConfig); a value set by the user wins.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_TIMEOUT_SECONDS));
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", "60");
        }
    }

    private final LocalSettings settings;
    private final HttpServer server;
    private final ExecutorService workers;
    private final ProcessContainerRuntime runtime;
    private final LocalDatabases databases;
    private final Optional<IdleSuspension> idle;
    private final Optional<LocalProxy> proxy;
    private final LocalSweep sweep;

    private LocalRunner(
            LocalSettings settings,
            HttpServer server,
            ExecutorService workers,
            ProcessContainerRuntime runtime,
            LocalDatabases databases,
            Optional<IdleSuspension> idle,
            Optional<LocalProxy> proxy,
            LocalSweep sweep) {
        this.settings = settings;
        this.server = server;
        this.workers = workers;
        this.runtime = runtime;
        this.databases = databases;
        this.idle = idle;
        this.proxy = proxy;
        this.sweep = sweep;
    }

    /**
     * Starts the runner from the environment. What cannot start is said in one line on stderr (exit 2: an invalid
     * setting, or a part that cannot start and the setting to change); anything else in one line too (exit 1), with
     * the stack trace in the tenant logs' {@value RunnerLog#FILE_NAME}.
     */
    /** The JDK server's switch for TCP_NODELAY on its connections (sun.net.httpserver.ServerConfig). */
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    public static void main(String[] args) {
        LocalSettings settings;
        try {
            settings = LocalSettings.from(System.getenv());
        } catch (Env.ConfigurationException invalid) {
            System.err.println(invalid.getMessage());
            System.exit(CannotStart.EXIT_CODE);
            return;
        }
        LocalRunner runner;
        try {
            runner = start(settings);
        } catch (CannotStart named) {
            System.err.println(named.getMessage());
            System.exit(CannotStart.EXIT_CODE);
            return;
        } catch (RuntimeException unexpected) {
            Optional<Path> trace = new RunnerLog(settings.tenantLogs()).record("the runner did not start", unexpected);
            System.err.println("the runner did not start: "
                    + unexpected.toString().lines().findFirst().orElse("")
                    + trace.map(file -> " (the stack trace is in " + file + ")").orElse(""));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(runner::close, "stop-tenants"));
        System.out.println(runner.banner());
    }

    public static LocalRunner start(Map<String, String> environment) {
        return start(LocalSettings.from(environment));
    }

    /**
     * Checks what a first run can trip on before it starts anything (the folders it writes, the shell, the port), so
     * such a run ends at once with one line ({@link CannotStart}) and leaves nothing running; then starts the parts.
     */
    static LocalRunner start(LocalSettings settings) {
        // The JDK's server writes an answer's headers and body apart; with Nagle's algorithm on, the body then waits
        // for
        // the client's delayed ACK (up to 40 ms on Linux) on a kept-alive connection. Read once, when the server
        // classes load; a value given on the command line wins.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        Preflight.writableFolder(settings.tenantLogs(), "LOCAL_TENANT_LOGS");
        Preflight.writableFolder(settings.outbox(), "LOCAL_OUTBOX");
        if (!settings.demoApp()) {
            Preflight.shell(TenantCommand.SHELL);
        }
        HttpServer server = Preflight.listen(settings.httpPort());
        LocalDatabases databases;
        try {
            databases = LocalDatabases.start(settings, new RunnerLog(settings.tenantLogs()));
        } catch (RuntimeException | Error failed) {
            server.stop(0);
            throw failed;
        }
        try {
            return serve(settings, server, databases);
        } catch (RuntimeException | Error failed) {
            server.stop(0);
            databases.close();
            throw failed;
        }
    }

    private static LocalRunner serve(LocalSettings settings, HttpServer server, LocalDatabases databases) {
        LocalAdaptersModule adapters = new LocalAdaptersModule(settings, databases.databases());
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new CoreModule(settings.core()), adapters);
        OutboxRoute outbox = new OutboxRoute(
                new Outbox(settings.outbox()), new ApiKeys(settings.core().apiKeys()));
        StaticAssets assets = new StaticAssets();
        ApiRoute api = new ApiRoute(injector.getInstance(HttpApi.class));

        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            Optional<String> host =
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("host"));
            if (!LoopbackHosts.allows(host)) {
                // A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) must not reach this API.
                try (exchange) {
                    Http.send(
                            exchange,
                            Problem.of(
                                    421,
                                    "host-not-served",
                                    "Host not served",
                                    "the local runner answers only loopback names (localhost, 127.0.0.1, [::1]); the"
                                            + " request named " + host.orElse("no host")));
                }
            } else if (StaticAssets.serves(path)) {
                assets.handle(exchange);
            } else if (path.startsWith(OutboxRoute.PREFIX)) {
                outbox.handle(exchange);
            } else {
                api.handle(exchange);
            }
        });
        // The JDK's server reads a request's headers on a worker, so a slow client holds one until the request timeout
        // (REQUEST_TIMEOUT_SECONDS) ends it; 64 workers leave room for real requests meanwhile.
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        server.setExecutor(workers);
        server.start();
        ProcessContainerRuntime runtime = injector.getInstance(ProcessContainerRuntime.class);
        // Restarts, the sweep and the reconciler, as the schedule and ECS's task events run them on AWS.
        LocalSweep sweep = LocalSweep.start(
                runtime,
                injector.getInstance(ObserveTask.class),
                injector.getInstance(ResumeStalledTenants.class),
                injector.getInstance(ReconcileTenants.class),
                settings.core().sweep().limit(),
                injector.getInstance(LogOutput.class));
        Optional<LocalProxy> proxy = Optional.empty();
        if (settings.localProxy()) {
            try {
                proxy = Optional.of(startProxy(settings, injector.getInstance(ProxyConfigRoute.class), server));
            } catch (RuntimeException failed) {
                // The caller stops the server and the databases.
                workers.shutdownNow();
                sweep.close();
                throw failed;
            }
        }
        Optional<LocalProxy> front = proxy;
        Optional<TrafficMonitor> proxyLog = front.map(
                running -> new ProxyAccessLog(settings.tenantLogs().resolve(LocalProxy.LOG_FILE), running::isRunning));
        Optional<IdleSuspension> idle = settings.idleSuspendAfter()
                .map(after -> IdleSuspension.start(
                        injector.getInstance(PortRegistry.class),
                        injector.getInstance(SuspendTenant.class),
                        after,
                        settings.core().sweep().limit(),
                        proxyLog));
        return new LocalRunner(settings, server, workers, runtime, databases, idle, proxy, sweep);
    }

    /** Caddy in front of the tenants, on the routes of the moment, asking this runner for them again and again. */
    private static LocalProxy startProxy(LocalSettings settings, ProxyConfigRoute route, HttpServer server) {
        Ipv4Address host = settings.core().policy().publicHost().orElse(settings.tenantHost());
        ProxySettings proxy = settings.core().proxy().orElseThrow();
        URI configUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/proxy/config?host=" + host);
        return LocalProxy.start(
                LocalProxy.findCaddy().orElseThrow(),
                settings.localProxyDir(),
                settings.tenantLogs().resolve(LocalProxy.LOG_FILE),
                server.getAddress().getPort(),
                route.configFor(host).orElseThrow(),
                configUrl,
                settings.core().proxyKeys().get(0),
                new InetSocketAddress(
                        proxy.bindAddress().orElse("127.0.0.1"),
                        proxy.listener().port()));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public String apiKey() {
        return settings.apiKey();
    }

    public ProcessContainerRuntime runtime() {
        return runtime;
    }

    String banner() {
        String tenants = settings.demoApp() ? "the bundled demo app" : "LOCAL_TENANT_COMMAND";
        return String.join(
                "\n",
                "",
                "  tenant-provisioner is running locally (no AWS account involved)",
                "",
                "  Landing page  " + baseUri() + "/#key=" + apiKey(),
                "  API           " + baseUri() + "   header x-api-key: " + apiKey()
                        + (settings.generatedApiKey() ? "   (generated; set API_KEYS to choose your own)" : ""),
                "  Tenants       " + tenants + " on " + settings.tenantHost() + ", ports "
                        + settings.core().portPool().first() + "-"
                        + settings.core().portPool().last()
                        + ", output in " + settings.tenantLogs(),
                "  Links         " + links(),
                "  Outbox        " + settings.outbox(),
                "  Databases     " + databases.description(),
                "  Idle tenants  "
                        + settings.idleSuspendAfter()
                                .map(after -> "suspended after " + after.toMinutes() + " min without a connection")
                                .orElse("kept running (IDLE_SUSPEND_AFTER unset)"),
                "",
                "  Ctrl-C stops the runner and every tenant process.",
                "");
    }

    private String links() {
        var format = settings.core().policy().urlFormat();
        var host = settings.core().policy().publicHost().orElse(settings.tenantHost());
        String example = format.hostName(dev.tenantprovisioner.domain.model.TenantId.of("tenant"), host);
        return proxy.isPresent()
                ? format.proxy().orElseThrow().scheme() + "://" + example.replace("tenant.", "{tenant}.") + ":"
                        + format.proxy().orElseThrow().port() + " through caddy (LOCAL_PROXY=caddy), log in "
                        + settings.tenantLogs().resolve("proxy.log")
                : "http://" + example.replace("tenant.", "{tenant}.") + ":{port}, straight to each tenant"
                        + " (LOCAL_PROXY=caddy puts a proxy in front)";
    }

    /** Stops serving, then stops every tenant process, then the database server it started. */
    @Override
    public void close() {
        sweep.close();
        server.stop(0);
        proxy.ifPresent(LocalProxy::close);
        runtime.close();
        workers.shutdownNow();
        idle.ifPresent(IdleSuspension::close);
        databases.close();
    }
}
