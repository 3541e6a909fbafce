package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.AccessUrlFormat;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.spi.StopReason;
import dev.tenantprovisioner.domain.usecase.ListRoutes;
import dev.tenantprovisioner.domain.usecase.ListRoutes.Kind;
import dev.tenantprovisioner.domain.usecase.ListRoutes.Route;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** What the proxy on a host routes: live tenants' names to their ports, nothing else. */
class ListRoutesTest {

    private static final Ipv4Address HOST = Ipv4Address.of("127.0.0.1");
    private static final ProvisioningPolicy POLICY =
            ProvisioningPolicy.defaults().withUrlFormat(AccessUrlFormat.sslip().behind(AccessUrlFormat.Proxy.https()));

    private static final ResumeStalledTenants.Sweep ANY_IDLE = new ResumeStalledTenants.Sweep(Duration.ZERO, 100);

    private static World aWorld() {
        return new World(PortPool.range(3000, 3099), POLICY);
    }

    private static ListRoutes routesOf(World world) {
        return new ListRoutes(world.registryAsSeen(), POLICY);
    }

    @Test
    void givenRunningTenants_whenListed_thenEachNameGoesToItsOwnPortSortedByName() {
        World world = aWorld();
        world.provision(2);
        world.provision(1);

        assertThat(routesOf(world).routes(HOST))
                .containsExactly(
                        new Route(aTenant(1), "tenant-1.127-0-0-1.sslip.io", HostPort.of(3001), Kind.SERVE),
                        new Route(aTenant(2), "tenant-2.127-0-0-1.sslip.io", HostPort.of(3000), Kind.SERVE));
    }

    @Test
    void givenASuspendedTenant_whenListed_thenItsNameAnswersTheSuspendedPage() {
        World world = aWorld();
        world.provision(1);
        world.suspend.suspend(aTenant(1), "invoice unpaid");

        assertThat(routesOf(world).routes(HOST))
                .singleElement()
                .satisfies(route -> assertThat(route.kind()).isEqualTo(Kind.SUSPENDED));
    }

    @Test
    void givenATenantAsleepForIdleness_whenListed_thenItsNameGoesToTheWakeRouteOnItsOwnPortAndHost() {
        World world = aWorld();
        world.provision(1);
        world.suspend.sleep(aTenant(1), "no traffic for 30 min");

        assertThat(routesOf(world).routes(HOST))
                .containsExactly(new Route(aTenant(1), "tenant-1.127-0-0-1.sslip.io", HostPort.of(3000), Kind.ASLEEP));
    }

    @Test
    void givenATenantWakingUp_whenListed_thenItsRouteStaysOnItsHostWhileTheNewContainerStarts() {
        World world = aWorld();
        world.runtime.startPending(true);
        world.provision(1);
        world.runtime.markRunning(world.lease(1).task().orElseThrow());
        world.describe(1);
        world.suspend.sleep(aTenant(1), "no traffic for 30 min");

        world.resume.resume(aTenant(1));

        assertThat(world.lease(1).state()).isEqualTo(dev.tenantprovisioner.domain.model.TenantState.CONTAINER_STARTED);
        assertThat(routesOf(world).routes(HOST))
                .singleElement()
                .satisfies(route -> assertThat(route.kind()).isEqualTo(Kind.SERVE));
    }

    @Test
    void givenADeprovisionedTenantWhosePortWentToAnother_whenListed_thenOnlyTheNewOwnersNameReachesThatPort() {
        World world = aWorld();
        world.provision(1);
        world.deprovision(1);
        world.sweep().resume(ANY_IDLE); // frees the port once the runtime reports the old task gone
        world.provision(2);

        assertThat(world.lease(2).requirePort())
                .as("the port went to the new tenant")
                .isEqualTo(HostPort.of(3000));
        assertThat(routesOf(world).routes(HOST)).singleElement().satisfies(route -> {
            assertThat(route.name()).isEqualTo("tenant-2.127-0-0-1.sslip.io");
            assertThat(route.port()).isEqualTo(HostPort.of(3000));
        });
    }

    @Test
    void givenTenantsOnAnotherHost_whenListedForThisOne_thenNone() {
        World world = aWorld();
        world.provision(1);

        assertThat(routesOf(world).routes(Ipv4Address.of("10.0.0.9"))).isEmpty();
    }

    @Test
    void givenTheOperatorsOwnDomain_whenListed_thenTheNamesAreUnderIt() {
        ProvisioningPolicy own = POLICY.withUrlFormat(POLICY.urlFormat().onTenantDomain("apps.example.com"));
        World world = new World(PortPool.range(3000, 3099), own);
        world.provision(1);

        assertThat(new ListRoutes(world.registryAsSeen(), own).routes(HOST))
                .extracting(Route::name)
                .containsExactly("tenant-1.apps.example.com");
    }

    @Test
    void givenMoreLeasesThanAPage_whenListed_thenEveryLiveOneIsThere() {
        World world = new World(PortPool.range(3000, 5999), POLICY);
        for (int n = 0; n < 1_050; n++) {
            world.provision(n);
        }

        assertThat(routesOf(world).routes(HOST)).hasSize(1_050);
    }

    /** However tenants come and go, no two routes share a port or a name, and every route is a live tenant's. */
    @Property(tries = 100)
    void givenAnyComingAndGoing_thenRoutesNeverShareAPortOrNameAndNameOnlyLiveTenants(
            @ForAll("changes") List<Integer> changes) {
        World world = new World(PortPool.range(3000, 3004), POLICY);
        for (int change : changes) {
            int tenant = Math.abs(change) % 8;
            if (change >= 0) {
                world.provision(tenant);
            } else {
                world.deprovision(tenant);
                world.lease(tenant)
                        .task()
                        .ifPresent(task -> world.runtime.stop(task, aTenant(tenant), StopReason.DEPROVISION));
                world.sweep().resume(ANY_IDLE);
            }
            List<Route> routes = routesOf(world).routes(HOST);
            assertThat(routes).extracting(Route::port).doesNotHaveDuplicates();
            assertThat(routes).extracting(Route::name).doesNotHaveDuplicates();
            assertThat(routes).allSatisfy(route -> {
                var lease = world.registry.find(route.tenant()).orElseThrow();
                assertThat(lease.state().holdsPort()).isTrue();
                assertThat(lease.port()).contains(route.port());
            });
        }
    }

    @Provide
    Arbitrary<List<Integer>> changes() {
        return Arbitraries.integers().between(-7, 7).list().ofMaxSize(40);
    }
}
