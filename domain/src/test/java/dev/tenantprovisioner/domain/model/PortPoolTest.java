package dev.tenantprovisioner.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortPoolTest {

    @ParameterizedTest
    @CsvSource({
        "2999,false",
        "3000,true",
        "3001,true",
        "51677,true",
        "51678,false",
        "51679,false",
        "51680,false",
        "51681,true",
        "65535,true"
    })
    void givenDefaultPool_whenAskingMembership_thenRangeMinusEcsReservedPorts(int port, boolean member) {
        assertThat(PortPool.defaults().contains(port)).isEqualTo(member);
    }

    @Test
    void givenDefaultPool_whenCounting_thenReservedPortsInRangeAreLeftOut() {
        assertThat(PortPool.defaults().size()).isEqualTo(65535 - 3000 + 1 - 3);
    }

    @Test
    void givenPoolFromOne_whenAskingMembership_thenSshAndDockerPortsAreSkipped() {
        PortPool pool = PortPool.range(1, 3000);

        assertThat(pool.contains(22)).isFalse();
        assertThat(pool.contains(2375)).isFalse();
        assertThat(pool.contains(2376)).isFalse();
        assertThat(pool.nextFrom(2375)).hasValue(2377);
    }

    @Test
    void givenLastPort_whenAskingNext_thenEmpty() {
        assertThat(PortPool.range(3000, 3001).nextFrom(3002)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0,10", "10,9", "3000,65536", "65536,65536"})
    void givenBadBounds_whenCreated_thenRefused(int first, int last) {
        assertThatThrownBy(() -> PortPool.range(first, last))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("portPool.");
    }

    @Test
    void givenRangeOfOnlyReservedPorts_whenCreated_thenRefused() {
        assertThatThrownBy(() -> new PortPool(51678, 51680, Set.of(51678, 51679, 51680)))
                .hasMessageContaining("leaves no port");
    }
}
