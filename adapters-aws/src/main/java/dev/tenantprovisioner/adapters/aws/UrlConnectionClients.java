package dev.tenantprovisioner.adapters.aws;

import java.time.Duration;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The JDK's URL connection as the SDK's HTTP client, with request bodies buffered rather than streamed. Given a
 * {@code Content-Length}, the SDK's client streams the body ({@code setFixedLengthStreamingMode}), and before a streamed
 * POST on a kept-alive connection the JDK checks the connection with a read that waits 1 ms and ends in a
 * {@code SocketTimeoutException} ({@code sun.net.www.http.HttpClient.available}): every AWS call is such a POST, so
 * every warm call waited a millisecond and filled a stack trace. Without the header the JDK buffers the body (these are
 * a few KB) and sets the same {@code Content-Length} itself; a connection the server closed meanwhile is met on the
 * request and retried on a new one, by the JDK or by the SDK's retries.
 */
public final class UrlConnectionClients {

    private UrlConnectionClients() {}

    public static SdkHttpClient create(Duration connectionTimeout, Duration socketTimeout) {
        return new BufferedBodies(UrlConnectionHttpClient.builder()
                .connectionTimeout(connectionTimeout)
                .socketTimeout(socketTimeout)
                .build());
    }

    private static final class BufferedBodies implements SdkHttpClient {

        private static final String CONTENT_LENGTH = "Content-Length";

        private final SdkHttpClient jdk;

        BufferedBodies(SdkHttpClient jdk) {
            this.jdk = jdk;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            SdkHttpRequest http = request.httpRequest();
            if (http.firstMatchingHeader(CONTENT_LENGTH).isEmpty()) {
                return jdk.prepareRequest(request);
            }
            return jdk.prepareRequest(HttpExecuteRequest.builder()
                    .request(http.toBuilder().removeHeader(CONTENT_LENGTH).build())
                    .contentStreamProvider(request.contentStreamProvider().orElse(null))
                    .metricCollector(request.metricCollector().orElse(null))
                    .build());
        }

        @Override
        public String clientName() {
            return jdk.clientName();
        }

        @Override
        public void close() {
            jdk.close();
        }
    }
}
