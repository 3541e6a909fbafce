package dev.tenantprovisioner.lambda.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.tenantprovisioner.adapters.postgres.PostgresSettings;
import dev.tenantprovisioner.adapters.postgres.PostgresTenantDatabases;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import java.util.Optional;

/** Each tenant's own database on the shared PostgreSQL server, when {@code DATABASE_ADMIN_URL} is set; else off. */
final class DatabaseModule extends AbstractModule {

    private final Optional<PostgresSettings> settings;

    DatabaseModule(Optional<PostgresSettings> settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        settings.ifPresent(database -> OptionalBinder.newOptionalBinder(binder(), TenantDatabases.class)
                .setBinding()
                .toInstance(new PostgresTenantDatabases(database)));
    }
}
