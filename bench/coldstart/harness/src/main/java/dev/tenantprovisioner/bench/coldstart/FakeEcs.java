package dev.tenantprovisioner.bench.coldstart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ECS on loopback (awsJson1_1, as botocore's ecs/2014-11-13/service-2.json describes the protocol and the
 * RunTask and DescribeTasks shapes): RunTask places the task, DescribeTasks reports it PENDING, so a measured
 * provision ends at "container started" and never asks EC2 for a host or sends the email.
 */
final class FakeEcs implements AutoCloseable {

    private static final String CLUSTER = "arn:aws:ecs:eu-west-1:123456789012:cluster/bench";
    private static final Pattern STARTED_BY = Pattern.compile("\"startedBy\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern TASK = Pattern.compile("\"tasks?\"\\s*:\\s*\\[?\\s*\"([^\"]*)\"");

    private final HttpServer server;
    private final AtomicLong tasks = new AtomicLong();

    FakeEcs() throws IOException {
        // The JDK server writes headers and body apart; with Nagle on, the body waits for a delayed ACK (40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "fake-ecs");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::answer);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String operation = target.substring(target.indexOf('.') + 1);
        int status = 200;
        String body;
        switch (operation) {
            case "RunTask":
                body = "{\"tasks\":["
                        + task(
                                CLUSTER.replace("cluster/", "task/") + "/"
                                        + String.format("%032x", tasks.incrementAndGet()),
                                first(STARTED_BY, request),
                                "PROVISIONING")
                        + "],\"failures\":[]}";
                break;
            case "DescribeTasks":
                body = "{\"tasks\":[" + task(first(TASK, request), "bench", "PENDING") + "],\"failures\":[]}";
                break;
            case "StopTask":
                body = "{\"task\":" + task(first(TASK, request), "bench", "STOPPED") + "}";
                break;
            default:
                status = 400;
                body = "{\"__type\":\"ClientException\",\"message\":\"the bench does not answer " + operation + "\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String task(String arn, String startedBy, String status) {
        return "{\"taskArn\":\"" + arn + "\",\"clusterArn\":\"" + CLUSTER + "\",\"lastStatus\":\"" + status
                + "\",\"desiredStatus\":\"RUNNING\",\"startedBy\":\"" + startedBy
                + "\",\"containerInstanceArn\":\"arn:aws:ecs:eu-west-1:123456789012:container-instance/bench/0\","
                + "\"taskDefinitionArn\":\"arn:aws:ecs:eu-west-1:123456789012:task-definition/tenant-app:1\",\"containers\":[]}";
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : "unknown";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
