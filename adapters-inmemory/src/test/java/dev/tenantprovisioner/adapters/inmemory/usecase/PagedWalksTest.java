package dev.tenantprovisioner.adapters.inmemory.usecase;

import static dev.tenantprovisioner.adapters.inmemory.usecase.World.aTenant;
import static dev.tenantprovisioner.adapters.inmemory.usecase.World.anEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.TenantState;
import dev.tenantprovisioner.domain.spi.Cursors;
import dev.tenantprovisioner.domain.spi.LeasePage;
import dev.tenantprovisioner.domain.spi.LeaseQuery;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.domain.usecase.SuspendIdleTenants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The sweep and idle suspension walk the registry page by page, as DynamoDB answers a query: a page may hold fewer
 * leases than asked for and still say there are more. Each walk asks for no more than its budget left, and follows
 * the cursor until the budget is spent or the pages end.
 */
class PagedWalksTest {

    private final List<Integer> asked = new ArrayList<>();

    /**
     * A registry whose pages hold one lease each, recording each ask. DynamoDB answers a Query so: its {@code Limit}
     * counts the items evaluated before a {@code FilterExpression}, and a page also ends at 1 MB, either way with a
     * {@code LastEvaluatedKey} (Amazon DynamoDB API reference, Query: Limit, LastEvaluatedKey; developer guide,
     * "Paginating table query results").
     */
    private World shortPages() {
        return World.withRegistry(registry -> new Decorators.Registry(registry) {
            @Override
            public LeasePage page(LeaseQuery query) {
                asked.add(query.limit());
                return oneOf(delegate.page(query), Lease::createdOrder);
            }

            @Override
            public LeasePage needingAttention(int limit, Optional<String> cursor) {
                asked.add(limit);
                return oneOf(delegate.needingAttention(limit, cursor), Lease::updatedOrder);
            }
        });
    }

    private static LeasePage oneOf(LeasePage page, Function<Lease, String> order) {
        if (page.leases().size() <= 1) {
            return page;
        }
        return new LeasePage(
                page.leases().subList(0, 1),
                Optional.of(Cursors.of(order.apply(page.leases().get(0)))));
    }

    @Test
    void givenShortPages_whenSwept_thenTheSweepFollowsTheCursorAskingOnlyForWhatIsLeftOfItsLimit() {
        World world = shortPages();
        for (int n = 1; n <= 5; n++) {
            world.registry.allocate(aTenant(n), anEmail(n), false); // abandoned after allocation
        }
        world.clock.advance(Duration.ofMinutes(10));

        ResumeStalledTenants.Report report =
                world.sweep().resume(new ResumeStalledTenants.Sweep(Duration.ofMinutes(5), 3));

        assertThat(report.examined()).isEqualTo(3);
        assertThat(report.resumed()).isEqualTo(3);
        assertThat(asked).containsExactly(3, 2, 1);
    }

    @Test
    void givenShortPages_whenIdleTenantsAreSought_thenOnlyRunningOnesAreReadUpToTheLimit() {
        World world = shortPages();
        for (int n = 1; n <= 4; n++) {
            world.provision(n);
        }
        world.clock.advance(Duration.ofHours(2));
        SuspendIdleTenants idle = new SuspendIdleTenants(
                world.registryAsSeen(), world.suspend, lease -> Optional.empty(), Duration.ofHours(1), world.clock);
        asked.clear();

        SuspendIdleTenants.Report report = idle.suspendIdle(3);

        assertThat(report.running()).isEqualTo(3);
        assertThat(report.suspended()).isEqualTo(3);
        assertThat(asked).containsExactly(3, 2, 1);
        assertThat(world.registry
                        .page(new LeaseQuery(10, Optional.empty(), Optional.of(TenantState.RUNNING)))
                        .leases())
                .hasSize(1);
    }
}
