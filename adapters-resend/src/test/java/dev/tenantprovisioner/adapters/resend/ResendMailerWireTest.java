package dev.tenantprovisioner.adapters.resend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tenantprovisioner.adapters.resend.template.WelcomeTemplate;
import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.InfrastructureException;
import dev.tenantprovisioner.domain.spi.WelcomeEmail;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the real SDK puts on the wire for a welcome email, and how each of Resend's answers is taken. */
class ResendMailerWireTest {

    private static final String API_KEY = "re_wire_4f9c2a7e1b";
    private static final String FROM = "Acme <welcome@acme.dev>";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final FakeResendApi resend = new FakeResendApi();

    private final List<Duration> pauses = new ArrayList<>();
    private ResendSettings settings;

    @BeforeEach
    void reset() {
        resend.reset();
        settings = ResendSettings.of(API_KEY, FROM).withReplyTo("support@acme.dev");
    }

    @Test
    void givenWelcome_whenSent_thenPostsEmailsWithBearerKeyIdempotencyKeyAndBothParts() throws IOException {
        mailer().sendWelcome(aWelcome());

        LoggedRequest request = onlyRequest();
        assertThat(request.getUrl()).isEqualTo("/emails");
        assertThat(request.getHeader("Host")).isEqualTo(FakeResendApi.HOST);
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(request.getHeader("Idempotency-Key")).isEqualTo("welcome-acme-g3");
        JsonNode body = JSON.readTree(request.getBodyAsString());
        assertThat(body.path("from").asText()).isEqualTo(FROM);
        assertThat(body.path("to")).hasSize(1);
        assertThat(body.path("to").get(0).asText()).isEqualTo("jane@example.com");
        assertThat(body.path("reply_to").get(0).asText()).isEqualTo("support@acme.dev");
        assertThat(body.path("subject").asText()).isEqualTo("Your acme instance is ready");
        assertThat(body.path("html").asText())
                .contains("<a href=\"http://acme.54.123.45.6.sslip.io:3001\">http://acme.54.123.45.6.sslip.io:3001</a>")
                .contains("<strong>acme</strong>");
        assertThat(body.path("text").asText())
                .contains("http://acme.54.123.45.6.sslip.io:3001")
                .contains("Your instance acme is up");
    }

    @Test
    void givenAddressAndUrlWithQuotesAndAmpersands_whenSent_thenEscapedInHtmlAndVerbatimInText() throws IOException {
        WelcomeEmail odd = new WelcomeEmail(
                TenantId.of("acme"),
                Email.of("o'neil&co@example.com"),
                new AccessUrl(URI.create("http://acme.54.123.45.6.sslip.io:3001/?a=1&b='x'")),
                "welcome-acme-g1");

        mailer().sendWelcome(odd);

        JsonNode body = JSON.readTree(onlyRequest().getBodyAsString());
        assertThat(body.path("html").asText())
                .contains("href=\"http://acme.54.123.45.6.sslip.io:3001/?a=1&amp;b=&#39;x&#39;\"")
                .contains("o&#39;neil&amp;co@example.com")
                .doesNotContain("o'neil", "b='x'");
        assertThat(body.path("text").asText())
                .contains("http://acme.54.123.45.6.sslip.io:3001/?a=1&b='x'")
                .contains("o'neil&co@example.com");
        assertThat(body.path("to").get(0).asText()).isEqualTo("o'neil&co@example.com");
    }

    @Test
    void givenValidationError_whenSending_thenNotRetryableNamingItAndSentOnce() {
        resend.alwaysAnswers(FakeResendApi.error(422, "validation_error", "Invalid `from` field."));

        InfrastructureException failure =
                catchThrowableOfType(InfrastructureException.class, () -> mailer().sendWelcome(aWelcome()));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("422 validation_error: Invalid `from` field.");
        assertThat(resend.requests()).hasSize(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void givenRateLimitOnce_whenSending_thenPausesASecondAndResendsWithSameKey() {
        resend.nextRequestsAnswer(
                1,
                FakeResendApi.error(429, "rate_limit_exceeded", "Too many requests.")
                        .withHeader("retry-after", "1"));

        mailer().sendWelcome(aWelcome());

        assertThat(resend.requests())
                .extracting(request -> request.getHeader("Idempotency-Key"))
                .containsExactly("welcome-acme-g3", "welcome-acme-g3");
        assertThat(pauses).containsExactly(Duration.ofSeconds(1));
        assertThat(resend.acceptedKeys()).containsExactly("welcome-acme-g3");
    }

    @Test
    void givenRateLimitPersists_whenSending_thenRetryableNamingItAfterMaxAttempts() {
        resend.alwaysAnswers(FakeResendApi.error(429, "rate_limit_exceeded", "Too many requests.")
                .withHeader("retry-after", "1"));

        InfrastructureException failure =
                catchThrowableOfType(InfrastructureException.class, () -> mailer().sendWelcome(aWelcome()));

        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains("429 rate_limit_exceeded").contains("attempt 2 of 2");
        assertThat(resend.requests()).hasSize(ResendSettings.DEFAULT_MAX_ATTEMPTS);
        assertThat(pauses).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void givenServerError_whenSending_thenRetryable() {
        resend.alwaysAnswers(FakeResendApi.error(500, "internal_server_error", "Something went wrong."));

        InfrastructureException failure =
                catchThrowableOfType(InfrastructureException.class, () -> mailer().sendWelcome(aWelcome()));

        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains("500 internal_server_error");
        assertThat(resend.acceptedKeys()).isEmpty();
    }

    @Test
    void givenDroppedConnection_whenSending_thenRetryableNetworkError() {
        resend.alwaysAnswers(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        InfrastructureException failure =
                catchThrowableOfType(InfrastructureException.class, () -> mailer().sendWelcome(aWelcome()));

        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains("network error");
        assertThat(failure.getCause()).isInstanceOf(IOException.class);
        // The SDK's OkHttp client does not silently repeat the POST: each attempt is one request.
        assertThat(resend.requests()).hasSize(ResendSettings.DEFAULT_MAX_ATTEMPTS);
        assertThat(resend.acceptedKeys()).isEmpty();
    }

    @Test
    void givenDroppedConnectionOnce_whenSending_thenNextAttemptDelivers() {
        resend.nextRequestsAnswer(1, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        mailer().sendWelcome(aWelcome());

        assertThat(pauses).containsExactly(Duration.ofSeconds(1));
        assertThat(resend.requests()).hasSize(2);
        assertThat(resend.acceptedKeys()).containsExactly("welcome-acme-g3");
    }

    @ParameterizedTest(name = "{0} {1} -> retryable {2}")
    @CsvSource({
        "400, validation_error, false",
        "400, invalid_idempotency_key, false",
        "401, missing_api_key, false",
        "403, invalid_api_key, false",
        "409, invalid_idempotent_request, false",
        "409, concurrent_idempotent_requests, true",
        "422, validation_error, false",
        "429, rate_limit_exceeded, true",
        "429, daily_quota_exceeded, true",
        "500, internal_server_error, true",
        "503, service_unavailable, true",
    })
    void givenResendAnswer_whenSending_thenRetryableOnlyWhenTransient(int status, String name, boolean retryable) {
        resend.alwaysAnswers(FakeResendApi.error(status, name, "answer " + status));
        ResendMailer once =
                new ResendMailer(settings.withRetry(1, Duration.ZERO), WelcomeTemplate.bundled(), pauses::add);

        InfrastructureException failure =
                catchThrowableOfType(InfrastructureException.class, () -> once.sendWelcome(aWelcome()));

        assertThat(failure.retryable()).isEqualTo(retryable);
        assertThat(failure.getMessage()).contains(status + " " + name);
    }

    @Test
    void givenAnswerEchoingTheApiKey_whenSending_thenKeyIsInNoMessageOrCause() {
        resend.alwaysAnswers(FakeResendApi.error(403, "invalid_api_key", "API key " + API_KEY + " is invalid"));

        InfrastructureException failure =
                catchThrowableOfType(InfrastructureException.class, () -> mailer().sendWelcome(aWelcome()));

        assertThat(failure.getMessage()).contains("API key *** is invalid");
        assertThat(stackTraceOf(failure)).doesNotContain(API_KEY);
    }

    @Test
    void givenDroppedConnection_whenSending_thenKeyIsInNoMessageOrCause() {
        resend.alwaysAnswers(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        assertThatThrownBy(() -> mailer().sendWelcome(aWelcome()))
                .satisfies(failure -> assertThat(stackTraceOf(failure)).doesNotContain(API_KEY));
    }

    private ResendMailer mailer() {
        return new ResendMailer(settings, WelcomeTemplate.bundled(), pauses::add);
    }

    private static WelcomeEmail aWelcome() {
        return new WelcomeEmail(
                TenantId.of("acme"),
                Email.of("jane@example.com"),
                new AccessUrl(URI.create("http://acme.54.123.45.6.sslip.io:3001")),
                "welcome-acme-g3");
    }

    private static LoggedRequest onlyRequest() {
        List<LoggedRequest> requests = resend.requests();
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static String stackTraceOf(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
