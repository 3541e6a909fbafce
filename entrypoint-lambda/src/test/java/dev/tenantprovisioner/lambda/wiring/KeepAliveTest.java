package dev.tenantprovisioner.lambda.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Connections to DynamoDB and ECS outlive the JDK's 5 s default between invocations: the property is set when the
 * bootstrap is loaded, before any SDK client (or the JDK's keep-alive cache, which reads it once) exists.
 */
class KeepAliveTest {

    @Test
    void givenTheBootstrapLoaded_whenAConnectionIdles_thenTheJdkKeepsItAMinute() throws ClassNotFoundException {
        Class.forName(Bootstrap.class.getName(), true, KeepAliveTest.class.getClassLoader());

        assertThat(System.getProperty("http.keepAlive.time.server")).isEqualTo("60");
    }
}
