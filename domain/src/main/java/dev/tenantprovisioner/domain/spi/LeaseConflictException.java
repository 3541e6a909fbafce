package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.TenantId;

/** A compare-and-set on a lease lost: someone else wrote it first. Re-read and decide again. */
public final class LeaseConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient TenantId tenant;

    public LeaseConflictException(TenantId tenant, String message) {
        super(message);
        this.tenant = tenant;
    }

    public TenantId tenant() {
        return tenant;
    }
}
