package dev.tenantprovisioner.adapters.aws.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;

/** Settings that check themselves, client tokens ECS accepts, and EC2's endpoint per region. */
class EcsSettingsTest {

    @Test
    void givenDefaults_whenCreated_thenHostNetworkingOnLaunchTypeEc2() {
        EcsSettings settings = EcsSettings.of("tenants", "tenant-app", "app");

        assertThat(settings.networkMode()).isEqualTo(EcsSettings.NetworkMode.HOST);
        assertThat(settings.capacityProviders()).isEmpty();
        assertThat(settings.publicHost()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PORT", "TENANT_ID"})
    void givenEnvironmentThatOverridesOwnVariable_whenCreated_thenRejectedNamingIt(String name) {
        assertThatThrownBy(() -> EcsSettings.of("tenants", "tenant-app", "app").withEnvironment(Map.of(name, "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(name);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void givenBridgeWithoutValidAppPort_whenCreated_thenRejected(int appPort) {
        assertThatThrownBy(() -> EcsSettings.of("tenants", "tenant-app", "app").withBridge(appPort))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ecs.appPort");
    }

    @Test
    void givenBlankCluster_whenCreated_thenRejectedNamingTheField() {
        assertThatThrownBy(() -> EcsSettings.of(" ", "tenant-app", "app")).hasMessageContaining("ecs.cluster");
    }

    @Test
    void givenStartTokenEcsAccepts_whenMakingClientToken_thenItIsTheTokenItself() {
        assertThat(ClientTokens.of("acme-g3-r12")).isEqualTo("acme-g3-r12");
    }

    @Test
    void givenTwoLongTokens_whenMakingClientTokens_thenEachFitsAndTheyDiffer() {
        String first = ClientTokens.of("x".repeat(65));
        String second = ClientTokens.of("x".repeat(66));

        assertThat(first).hasSize(64).isNotEqualTo(second);
        assertThat(second).hasSize(64);
    }

    @Test
    void givenTokenWithCharacterEcsRefuses_whenMakingClientToken_thenHashed() {
        assertThat(ClientTokens.of("acme g1")).matches("[0-9a-f]{64}");
    }

    @Test
    void givenRegion_whenAskingEc2Endpoint_thenRegionalEndpointOfItsPartition() {
        assertThat(Ec2PublicAddresses.endpointFor(Region.EU_WEST_1))
                .isEqualTo(URI.create("https://ec2.eu-west-1.amazonaws.com"));
        assertThat(Ec2PublicAddresses.endpointFor(Region.CN_NORTH_1))
                .isEqualTo(URI.create("https://ec2.cn-north-1.amazonaws.com.cn"));
    }
}
