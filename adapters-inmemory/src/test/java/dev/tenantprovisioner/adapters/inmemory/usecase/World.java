package dev.tenantprovisioner.adapters.inmemory.usecase;

import dev.tenantprovisioner.adapters.inmemory.InMemoryBillingRecords;
import dev.tenantprovisioner.adapters.inmemory.InMemoryContainerRuntime;
import dev.tenantprovisioner.adapters.inmemory.InMemoryPortRegistry;
import dev.tenantprovisioner.adapters.inmemory.InMemoryTenantDatabases;
import dev.tenantprovisioner.adapters.inmemory.RecordingMailer;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.LinkProbe;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import dev.tenantprovisioner.domain.usecase.ApplyBillingEvent;
import dev.tenantprovisioner.domain.usecase.Backends;
import dev.tenantprovisioner.domain.usecase.DeprovisionCommand;
import dev.tenantprovisioner.domain.usecase.DeprovisionOutcome;
import dev.tenantprovisioner.domain.usecase.DeprovisionTenant;
import dev.tenantprovisioner.domain.usecase.DescribeTenant;
import dev.tenantprovisioner.domain.usecase.ObserveTask;
import dev.tenantprovisioner.domain.usecase.ProvisionCommand;
import dev.tenantprovisioner.domain.usecase.ProvisionOutcome;
import dev.tenantprovisioner.domain.usecase.ProvisionTenant;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.domain.usecase.ResumeTenant;
import dev.tenantprovisioner.domain.usecase.SuspendTenant;
import dev.tenantprovisioner.domain.usecase.TenantStatus;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The use cases wired to in-memory adapters, as a user embeds them; one per test. */
final class World {

    final MutableClock clock = new MutableClock();
    final InMemoryPortRegistry registry;
    final InMemoryContainerRuntime runtime = new InMemoryContainerRuntime();
    final RecordingMailer mailer = new RecordingMailer();
    /** Used only by a world made {@link #withDatabases}. */
    final InMemoryTenantDatabases databases = new InMemoryTenantDatabases();

    final ProvisionTenant provision;
    final DeprovisionTenant deprovision;
    final DescribeTenant describe;
    final ObserveTask observe;
    final SuspendTenant suspend;
    final ResumeTenant resume;
    final InMemoryBillingRecords billingRecords = new InMemoryBillingRecords(clock);
    final ApplyBillingEvent billing;
    private final ContainerRuntime seen;
    private final PortRegistry used;
    private final Mailer sends;
    private final ProvisioningPolicy policy;
    private final Optional<TenantDatabases> reaches;
    private final Backends backends;

    /**
     * The use cases see the adapters through the decorators; tests inspect the adapters themselves. A null
     * {@code databasesDecorator} leaves tenant databases off.
     */
    private World(
            PortPool pool,
            ProvisioningPolicy policy,
            UnaryOperator<ContainerRuntime> runtimeDecorator,
            UnaryOperator<PortRegistry> registryDecorator,
            UnaryOperator<Mailer> mailerDecorator,
            UnaryOperator<TenantDatabases> databasesDecorator,
            LinkProbe probe) {
        registry = new InMemoryPortRegistry(pool, clock);
        this.policy = policy;
        seen = runtimeDecorator.apply(runtime);
        used = registryDecorator.apply(registry);
        sends = mailerDecorator.apply(mailer);
        reaches = Optional.ofNullable(databasesDecorator).map(decorator -> decorator.apply(databases));
        Backends on = Backends.of(used, seen, sends);
        on = reaches.map(on::withDatabases).orElse(on);
        backends = probe == null ? on : on.withProbe(probe);
        provision = new ProvisionTenant(backends, policy, clock);
        deprovision = reaches.map(d -> new DeprovisionTenant(used, seen, d))
                .orElseGet(() -> new DeprovisionTenant(used, seen));
        describe = new DescribeTenant(backends, policy, clock);
        observe = new ObserveTask(backends, policy, clock);
        resume = new ResumeTenant(backends, policy, clock);
        suspend = new SuspendTenant(used, seen, policy);
        billing = new ApplyBillingEvent(provision, suspend, resume, deprovision, used, billingRecords, clock);
    }

    World(
            PortPool pool,
            ProvisioningPolicy policy,
            UnaryOperator<ContainerRuntime> runtimeDecorator,
            UnaryOperator<PortRegistry> registryDecorator,
            UnaryOperator<Mailer> mailerDecorator) {
        this(pool, policy, runtimeDecorator, registryDecorator, mailerDecorator, null, null);
    }

    /** A world whose use cases ask {@code probe} whether a running tenant's link answers before emailing it. */
    static World withProbe(ProvisioningPolicy policy, LinkProbe probe) {
        return new World(PortPool.range(3000, 3099), policy, r -> r, r -> r, m -> m, null, probe);
    }

    /** A world whose tenants each get a database, seen through {@code databasesDecorator}. */
    static World withDatabases(
            UnaryOperator<ContainerRuntime> runtimeDecorator,
            UnaryOperator<PortRegistry> registryDecorator,
            UnaryOperator<TenantDatabases> databasesDecorator) {
        return new World(
                PortPool.range(3000, 3099),
                ProvisioningPolicy.defaults(),
                runtimeDecorator,
                registryDecorator,
                m -> m,
                databasesDecorator,
                null);
    }

    /** A world whose use cases see the registry through {@code registryDecorator}. */
    static World withRegistry(UnaryOperator<PortRegistry> registryDecorator) {
        return new World(PortPool.range(3000, 3099), ProvisioningPolicy.defaults(), r -> r, registryDecorator, m -> m);
    }

    World(PortPool pool, ProvisioningPolicy policy, UnaryOperator<ContainerRuntime> runtimeDecorator) {
        this(pool, policy, runtimeDecorator, r -> r, m -> m);
    }

    World(PortPool pool, ProvisioningPolicy policy) {
        this(pool, policy, r -> r);
    }

    World(PortPool pool) {
        this(pool, ProvisioningPolicy.defaults());
    }

    World() {
        this(PortPool.range(3000, 3099));
    }

    /** The registry as the use cases see it, through its decorator. */
    PortRegistry registryAsSeen() {
        return used;
    }

    ResumeStalledTenants sweep() {
        return new ResumeStalledTenants(backends, policy, clock);
    }

    static TenantId aTenant(int n) {
        return TenantId.of("tenant-" + n);
    }

    static Email anEmail(int n) {
        return Email.of("owner" + n + "@example.com");
    }

    ProvisionOutcome provision(int n) {
        return provision.provision(ProvisionCommand.of(aTenant(n), anEmail(n)));
    }

    ProvisionOutcome revive(int n) {
        return provision.provision(new ProvisionCommand(aTenant(n), anEmail(n), true));
    }

    DeprovisionOutcome deprovision(int n) {
        return deprovision.deprovision(new DeprovisionCommand(aTenant(n)));
    }

    Lease lease(int n) {
        return registry.find(aTenant(n)).orElseThrow();
    }

    TenantStatus describe(int n) {
        return describe.describe(aTenant(n)).orElseThrow();
    }
}
