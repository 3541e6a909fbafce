package dev.tenantprovisioner.bench.coldstart;

/** API Gateway HTTP API (payload 2.0) events, as Lambda receives them. */
final class Events {

    private Events() {}

    /** POST /provision for a new tenant: allocates a port in DynamoDB and runs a task on ECS. */
    static String provision(String tenant) {
        String body = "{\\\"userId\\\":\\\"" + tenant + "\\\",\\\"email\\\":\\\"bench@example.com\\\"}";
        return "{\"version\":\"2.0\",\"routeKey\":\"POST /provision\",\"rawPath\":\"/provision\",\"rawQueryString\":\"\","
                + "\"headers\":{\"content-type\":\"application/json\",\"x-api-key\":\"" + ColdStart.API_KEY + "\","
                + "\"user-agent\":\"bench\"},"
                + "\"requestContext\":{\"accountId\":\"123456789012\",\"apiId\":\"bench\",\"domainName\":\"bench.example.com\","
                + "\"http\":{\"method\":\"POST\",\"path\":\"/provision\",\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"127.0.0.1\","
                + "\"userAgent\":\"bench\"},\"requestId\":\"" + tenant
                + "\",\"routeKey\":\"POST /provision\",\"stage\":\"$default\","
                + "\"timeEpoch\":" + System.currentTimeMillis() + "},"
                + "\"body\":\"" + body + "\",\"isBase64Encoded\":false}";
    }
}
