package dev.tenantprovisioner.lambda;

import static dev.tenantprovisioner.lambda.Fixture.authorized;
import static dev.tenantprovisioner.lambda.Fixture.provisionBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.tenantprovisioner.http.Json;
import dev.tenantprovisioner.http.RequestLog;
import dev.tenantprovisioner.lambda.wiring.LambdaInvocation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every line says which invocation wrote it, and the lines that count something carry it in CloudWatch's embedded
 * metric format (the specification:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html:
 * a root {@code _aws} member with {@code Timestamp} and {@code CloudWatchMetrics[]} of {@code Namespace},
 * {@code Dimensions} (arrays of member names) and {@code Metrics[]} of {@code Name} and {@code Unit}; each named
 * member at the root holds the value).
 */
class LogSignalsTest {

    private final Fixture fixture = new Fixture();

    /** The Context Lambda hands a handler, as far as the lines read it. */
    private static Context invocation(String requestId) {
        return new Context() {
            @Override
            public String getAwsRequestId() {
                return requestId;
            }

            @Override
            public String getLogGroupName() {
                return "/aws/lambda/tenant-provisioner-api";
            }

            @Override
            public String getLogStreamName() {
                return "2026/12/02/[$LATEST]0123456789abcdef";
            }

            @Override
            public String getFunctionName() {
                return "tenant-provisioner-api";
            }

            @Override
            public String getFunctionVersion() {
                return "7";
            }

            @Override
            public String getInvokedFunctionArn() {
                return "arn:aws:lambda:eu-west-1:123456789012:function:tenant-provisioner-api:7";
            }

            @Override
            public CognitoIdentity getIdentity() {
                return null;
            }

            @Override
            public ClientContext getClientContext() {
                return null;
            }

            @Override
            public int getRemainingTimeInMillis() {
                return 10_000;
            }

            @Override
            public int getMemoryLimitInMB() {
                return 1024;
            }

            @Override
            public LambdaLogger getLogger() {
                return null;
            }
        };
    }

    private Map<String, Object> lastLine() {
        List<String> lines = fixture.adapters.logLines();
        try {
            return Json.parseObject(lines.get(lines.size() - 1));
        } catch (Json.MalformedJsonException e) {
            throw new AssertionError("a log line that is not JSON: " + lines.get(lines.size() - 1), e);
        }
    }

    @Test
    void givenInvocations_thenEveryLineNamesItsInvocationAndOnlyTheFirstAfterAStartOrRestoreIsCold() {
        LambdaInvocation.restored();
        fixture.handler.handleRequest(authorized("GET", "/tenants/nobody", null), invocation("req-1"));
        Map<String, Object> first = lastLine();
        fixture.handler.handleRequest(authorized("GET", "/tenants/nobody", null), invocation("req-2"));
        Map<String, Object> second = lastLine();

        assertThat(first)
                .containsEntry("awsRequestId", "req-1")
                .containsEntry("coldStart", true)
                .containsEntry("functionName", "tenant-provisioner-api")
                .containsEntry("functionVersion", "7");
        assertThat(second).containsEntry("awsRequestId", "req-2").containsEntry("coldStart", false);
        assertThat(second).doesNotContainKey("_aws");
    }

    @Test
    @SuppressWarnings("unchecked")
    void givenANewTenant_whenProvisioned_thenItsLineCountsOneProvisionedInEmbeddedMetricFormat() {
        fixture.handler.handleRequest(
                authorized("POST", "/provision", provisionBody("emf-1", "jane@example.com")), invocation("req-3"));
        Map<String, Object> line = lastLine();

        assertThat(line).containsEntry("service", "tenant-provisioner");
        assertThat(((Number) line.get(RequestLog.PROVISIONED)).intValue()).isEqualTo(1);
        Map<String, Object> aws = (Map<String, Object>) line.get("_aws");
        assertThat(((Number) aws.get("Timestamp")).longValue()).isPositive();
        Map<String, Object> directive = ((List<Map<String, Object>>) aws.get("CloudWatchMetrics")).get(0);
        assertThat(directive)
                .containsEntry("Namespace", "TenantProvisioner")
                .containsEntry("Dimensions", List.of(List.of("service")));
        assertThat((List<Map<String, Object>>) directive.get("Metrics"))
                .containsExactly(Map.of("Name", "Provisioned", "Unit", "Count"));

        fixture.handler.handleRequest(
                authorized("POST", "/provision", provisionBody("emf-1", "jane@example.com")), invocation("req-4"));
        assertThat(lastLine()).as("a repeat provisions nothing").doesNotContainKey("_aws");
    }

    @Test
    void givenNoCapacity_whenProvisioning_thenTheLineCountsNoCapacity() {
        fixture.adapters.runtime.withCapacity(0);

        fixture.handler.handleRequest(
                authorized("POST", "/provision", provisionBody("full-1", "jane@example.com")), invocation("req-5"));

        assertThat(((Number) lastLine().get(RequestLog.NO_CAPACITY)).intValue()).isEqualTo(1);
    }

    @Test
    void givenAWelcomeEmailTheProviderRefuses_whenTheTaskRuns_thenTheTaskEventLineCountsEmailFailed() {
        fixture.adapters.mailer.failNextSend(
                new dev.tenantprovisioner.domain.spi.InfrastructureException("invalid recipient", false));
        fixture.handler.handleRequest(
                authorized("POST", "/provision", provisionBody("refused-1", "jane@example.com")), invocation("req-6"));

        fixture.taskRunningEvent("refused-1");

        Map<String, Object> line = lastLine();
        assertThat(line).containsEntry("route", "ecs-task-state-change");
        assertThat(((Number) line.get(RequestLog.EMAIL_FAILED)).intValue()).isEqualTo(1);
    }
}
