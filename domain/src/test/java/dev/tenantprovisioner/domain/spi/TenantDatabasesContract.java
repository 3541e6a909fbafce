package dev.tenantprovisioner.domain.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.domain.model.TenantId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@link TenantDatabases} contract. Adapters extend it, return a fresh instance over an empty server, and say
 * whether a tenant's database exists there now.
 */
public abstract class TenantDatabasesContract {

    /** The adapter under test; the same instance for the whole test. */
    protected abstract TenantDatabases databases();

    /** Whether the server holds a database (and a role that may log in to it) for the tenant now. */
    protected abstract boolean exists(TenantId tenant);

    protected static TenantId aTenant(int n) {
        return TenantId.of("db-tenant-" + n);
    }

    @Test
    void givenNewTenant_whenEnsured_thenItsDatabaseExistsAndAccessSaysTheSame() {
        TenantDatabase database = databases().ensure(aTenant(1), 1);

        assertThat(exists(aTenant(1))).isTrue();
        assertThat(databases().access(aTenant(1), 1)).isEqualTo(database);
        assertThat(database.secrets().get("DATABASE_URL")).startsWith("postgresql://");
        assertThat(database.toString()).doesNotContain(database.password());
    }

    @Test
    void givenEnsuredTenant_whenEnsuredAgain_thenSameDatabaseAndTheSamePassword() {
        TenantDatabase first = databases().ensure(aTenant(1), 1);

        TenantDatabase again = databases().ensure(aTenant(1), 1);

        assertThat(again).isEqualTo(first);
    }

    @Test
    void givenTwoTenants_whenEnsured_thenEachHasItsOwnDatabaseUserAndPassword() {
        TenantDatabase a = databases().ensure(aTenant(1), 1);
        TenantDatabase b = databases().ensure(aTenant(2), 1);

        assertThat(b.name()).isNotEqualTo(a.name());
        assertThat(b.user()).isNotEqualTo(a.user());
        assertThat(b.password()).isNotEqualTo(a.password());
    }

    @Test
    void givenEnsuredTenant_whenANewGenerationIsEnsured_thenItGetsAFreshPassword() {
        TenantDatabase first = databases().ensure(aTenant(1), 1);

        TenantDatabase next = databases().ensure(aTenant(1), 2);

        assertThat(next.password()).isNotEqualTo(first.password());
        assertThat(databases().access(aTenant(1), 2)).isEqualTo(next);
    }

    @Test
    void givenEnsuredTenant_whenRemovedTwice_thenGoneAndTheRepeatIsANoOp() {
        databases().ensure(aTenant(1), 1);
        databases().ensure(aTenant(2), 1);

        databases().remove(aTenant(1), 1);
        databases().remove(aTenant(1), 1);

        assertThat(exists(aTenant(1))).isFalse();
        assertThat(exists(aTenant(2))).as("another tenant's database").isTrue();
    }

    @Test
    void givenUnknownTenant_whenRemoved_thenNothingHappens() {
        databases().remove(aTenant(9), 3);

        assertThat(exists(aTenant(9))).isFalse();
    }

    @Test
    void givenRevivedTenant_whenTheOldGenerationIsRemovedLate_thenTheNewDatabaseIsKept() {
        databases().ensure(aTenant(1), 1);
        databases().remove(aTenant(1), 1);
        TenantDatabase revived = databases().ensure(aTenant(1), 2);

        databases().remove(aTenant(1), 1);

        assertThat(exists(aTenant(1))).isTrue();
        assertThat(databases().access(aTenant(1), 2)).isEqualTo(revived);
    }

    @Test
    void givenManyThreads_whenEnsuringTheSameTenants_thenOneDatabaseEachAndEveryAnswerAgrees() throws Exception {
        int threads = 8;
        int tenants = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<List<TenantDatabase>>> answers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    List<TenantDatabase> seen = new ArrayList<>();
                    for (int n = 1; n <= tenants; n++) {
                        seen.add(databases().ensure(aTenant(n), 1));
                    }
                    return seen;
                }));
            }
            go.countDown();
            Set<TenantDatabase> distinct = new HashSet<>();
            for (Future<List<TenantDatabase>> answer : answers) {
                distinct.addAll(answer.get(120, TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(tenants);
            for (int n = 1; n <= tenants; n++) {
                assertThat(exists(aTenant(n))).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
