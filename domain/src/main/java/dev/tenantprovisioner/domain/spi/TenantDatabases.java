package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.TenantId;

/**
 * Each tenant's own database on a shared server (a driven port). Every operation is idempotent: a repeat, or a retry
 * after a crash at any point, converges on the same end state, creates nothing twice, and never changes the password
 * of a generation whose container may be running.
 */
public interface TenantDatabases {

    /**
     * Creates the tenant's database and its role for this generation if they are not there yet, and returns how the
     * tenant's container reaches them. A new generation (a revived or retried tenant) gets a fresh password.
     *
     * @throws InfrastructureException if the server cannot be reached or refuses
     */
    TenantDatabase ensure(TenantId tenant, int generation);

    /**
     * How the container of this generation reaches the database {@link #ensure} made, without a call to the server:
     * what every start (and restart) hands the container.
     */
    TenantDatabase access(TenantId tenant, int generation);

    /**
     * Removes the tenant's database and role if they were last ensured for {@code generation} or an older one (or,
     * where the adapter is set to retain them, keeps them locked, out of the way of a revived tenant's fresh
     * database). A later generation's database is never touched, so a late remove cannot hit a revived tenant.
     * Nothing there is not an error.
     *
     * @throws InfrastructureException if the server cannot be reached or refuses
     */
    void remove(TenantId tenant, int generation);
}
