package dev.tenantprovisioner.adapters.inmemory;

import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.PortRegistryContract;

class InMemoryPortRegistryTest extends PortRegistryContract {

    @Override
    protected PortRegistry newRegistry(PortPool pool, java.time.Clock clock) {
        return new InMemoryPortRegistry(pool, clock);
    }
}
