package dev.tenantprovisioner.adapters.aws.ecs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * One SigV4-signed POST to an AWS service endpoint, with the signer and HTTP client the ECS client already brings: for
 * the few calls whose SDK module would add megabytes to the Lambda for one operation (EC2's {@code DescribeInstances},
 * CloudWatch Logs' {@code FilterLogEvents}).
 */
final class SignedPost {

    /** A service's answer: the HTTP status and the body as text. */
    record Answer(int status, String body) {}

    private final SdkHttpClient http;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final String signingName;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    SignedPost(
            SdkHttpClient http, Region region, AwsCredentialsProvider credentials, URI endpoint, String signingName) {
        this.http = Objects.requireNonNull(http, "http");
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.signingName = Objects.requireNonNull(signingName, "signingName");
    }

    /** Posts {@code body} with these headers, signed; an answer without a body is an {@link IOException}. */
    Answer post(Map<String, String> headers, String body) throws IOException {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .encodedPath(
                        endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath());
        headers.forEach(request::putHeader);
        ContentStreamProvider payload = ContentStreamProvider.fromUtf8String(body);
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(request.build())
                .payload(payload)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                        .request(signed.request())
                        .contentStreamProvider(signed.payload().orElse(payload))
                        .build())
                .call();
        int status = response.httpResponse().statusCode();
        try (InputStream in =
                response.responseBody().orElseThrow(() -> new IOException("answered " + status + " without a body"))) {
            return new Answer(status, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
