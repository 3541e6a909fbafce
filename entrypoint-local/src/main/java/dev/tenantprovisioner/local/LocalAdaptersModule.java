package dev.tenantprovisioner.local;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.tenantprovisioner.adapters.http.HttpLinkProbe;
import dev.tenantprovisioner.adapters.inmemory.InMemoryBillingRecords;
import dev.tenantprovisioner.adapters.inmemory.InMemoryPortRegistry;
import dev.tenantprovisioner.adapters.local.OutboxMailer;
import dev.tenantprovisioner.adapters.local.ProcessContainerRuntime;
import dev.tenantprovisioner.domain.spi.BillingRecords;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.LinkProbe;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The local adapters. The registry lives in memory on purpose: tenant processes end with the runner,
 * so a registry that outlived them would describe tenants that no longer run.
 */
final class LocalAdaptersModule extends AbstractModule {

    private final LocalSettings settings;
    private final ProcessContainerRuntime runtime;
    private final Optional<TenantDatabases> databases;

    LocalAdaptersModule(LocalSettings settings, Optional<TenantDatabases> databases) {
        this.settings = settings;
        this.databases = databases;
        this.runtime = new ProcessContainerRuntime(
                settings.tenantCommand(),
                settings.tenantHost(),
                settings.maxTenants(),
                Optional.of(settings.tenantLogs()));
    }

    @Override
    protected void configure() {
        bind(PortRegistry.class)
                .toInstance(new InMemoryPortRegistry(settings.core().portPool()));
        bind(ContainerRuntime.class).toInstance(runtime);
        bind(ProcessContainerRuntime.class).toInstance(runtime);
        bind(Mailer.class).toInstance(new OutboxMailer(settings.outbox(), settings.mailFrom(), System.out));
        bind(BillingRecords.class).toInstance(new InMemoryBillingRecords());
        databases.ifPresent(tenantDatabases -> OptionalBinder.newOptionalBinder(binder(), TenantDatabases.class)
                .setBinding()
                .toInstance(tenantDatabases));
        // Ready means the tenant's page answers at its link (through the proxy where there is one), not a port that
        // accepts a connection.
        var ready = settings.core().ready();
        OptionalBinder.newOptionalBinder(binder(), LinkProbe.class)
                .setBinding()
                .toInstance(HttpLinkProbe.trusting(ready.trustedRoots().map(Path::of), ready.path(), ready.patience()));
    }
}
