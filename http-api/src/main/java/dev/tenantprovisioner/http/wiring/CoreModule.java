package dev.tenantprovisioner.http.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.spi.BillingRecords;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.LinkProbe;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.domain.spi.TenantDatabases;
import dev.tenantprovisioner.domain.usecase.ApplyBillingEvent;
import dev.tenantprovisioner.domain.usecase.Backends;
import dev.tenantprovisioner.domain.usecase.DeprovisionTenant;
import dev.tenantprovisioner.domain.usecase.DescribeTenant;
import dev.tenantprovisioner.domain.usecase.ListRoutes;
import dev.tenantprovisioner.domain.usecase.ListTenants;
import dev.tenantprovisioner.domain.usecase.ObserveTask;
import dev.tenantprovisioner.domain.usecase.ProvisionTenant;
import dev.tenantprovisioner.domain.usecase.ProvisioningPolicy;
import dev.tenantprovisioner.domain.usecase.ReconcileTenants;
import dev.tenantprovisioner.domain.usecase.ResumeStalledTenants;
import dev.tenantprovisioner.domain.usecase.ResumeTenant;
import dev.tenantprovisioner.domain.usecase.SuspendTenant;
import dev.tenantprovisioner.domain.usecase.WakeTenant;
import dev.tenantprovisioner.http.ApiKeys;
import dev.tenantprovisioner.http.HttpApi;
import dev.tenantprovisioner.http.LogOutput;
import dev.tenantprovisioner.http.Problem;
import dev.tenantprovisioner.http.proxy.ProxyConfigRoute;
import dev.tenantprovisioner.http.stripe.StripeSignature;
import dev.tenantprovisioner.http.stripe.StripeWebhook;
import java.time.Clock;
import java.util.Optional;

/**
 * The use cases and the HTTP API, built from whichever adapters another module binds
 * ({@link PortRegistry}, {@link ContainerRuntime}, {@link Mailer}, {@link BillingRecords}, and, optionally,
 * {@link TenantDatabases} and a {@link LinkProbe} through {@code OptionalBinder.newOptionalBinder(binder(), ...).setBinding()}).
 */
public final class CoreModule extends AbstractModule {

    private final CoreSettings settings;

    public CoreModule(CoreSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(CoreSettings.class).toInstance(settings);
        bind(ProvisioningPolicy.class).toInstance(settings.policy());
        bind(PortPool.class).toInstance(settings.portPool());
        bind(ResumeStalledTenants.Sweep.class).toInstance(settings.sweep());
        // Tenant databases are off unless an adapter module sets this; without a link probe, a tenant is ready when the
        // runtime reports it running.
        OptionalBinder.newOptionalBinder(binder(), TenantDatabases.class);
        OptionalBinder.newOptionalBinder(binder(), LinkProbe.class);
    }

    @Provides
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The driven interfaces the use cases run on, with tenants' databases and the link probe where bound. */
    @Provides
    @Singleton
    Backends backends(
            PortRegistry registry,
            ContainerRuntime runtime,
            Mailer mailer,
            Optional<TenantDatabases> databases,
            Optional<LinkProbe> probe) {
        Backends backends = Backends.of(registry, runtime, mailer);
        backends = databases.map(backends::withDatabases).orElse(backends);
        return probe.map(backends::withProbe).orElse(backends);
    }

    @Provides
    @Singleton
    ProvisionTenant provisionTenant(Backends backends, ProvisioningPolicy policy, Clock clock) {
        return new ProvisionTenant(backends, policy, clock);
    }

    @Provides
    @Singleton
    DeprovisionTenant deprovisionTenant(
            PortRegistry registry, ContainerRuntime runtime, Optional<TenantDatabases> databases) {
        return new DeprovisionTenant(registry, runtime, databases, Optional.of(settings.tombstoneTtl()));
    }

    @Provides
    @Singleton
    ReconcileTenants reconcileTenants(Backends backends, ProvisioningPolicy policy, Clock clock) {
        return new ReconcileTenants(backends, policy, clock);
    }

    @Provides
    @Singleton
    DescribeTenant describeTenant(Backends backends, ProvisioningPolicy policy, Clock clock) {
        return new DescribeTenant(backends, policy, clock);
    }

    @Provides
    @Singleton
    ObserveTask observeTask(Backends backends, ProvisioningPolicy policy, Clock clock) {
        return new ObserveTask(backends, policy, clock);
    }

    @Provides
    @Singleton
    ResumeStalledTenants resumeStalledTenants(Backends backends, ProvisioningPolicy policy, Clock clock) {
        return new ResumeStalledTenants(backends, policy, clock);
    }

    @Provides
    @Singleton
    SuspendTenant suspendTenant(PortRegistry registry, ContainerRuntime runtime, ProvisioningPolicy policy) {
        return new SuspendTenant(registry, runtime, policy);
    }

    @Provides
    @Singleton
    ResumeTenant resumeTenant(Backends backends, ProvisioningPolicy policy, Clock clock) {
        return new ResumeTenant(backends, policy, clock);
    }

    @Provides
    @Singleton
    ApplyBillingEvent applyBillingEvent(
            ProvisionTenant provision,
            SuspendTenant suspend,
            ResumeTenant resume,
            DeprovisionTenant deprovision,
            PortRegistry registry,
            BillingRecords records,
            Clock clock) {
        return new ApplyBillingEvent(provision, suspend, resume, deprovision, registry, records, clock);
    }

    @Provides
    @Singleton
    ListTenants listTenants(PortRegistry registry, ProvisioningPolicy policy) {
        return new ListTenants(registry, policy);
    }

    @Provides
    @Singleton
    HttpApi.StripeRoute stripeRoute(Provider<ApplyBillingEvent> billing, Clock clock) {
        if (settings.stripeSecrets().isEmpty()) {
            return (request, log) -> {
                log.warn();
                log.put("reason", "the webhook is off: STRIPE_WEBHOOK_SECRETS is not set");
                return Problem.of(
                        404,
                        "stripe-not-configured",
                        "Stripe webhook not configured",
                        "set STRIPE_WEBHOOK_SECRETS to enable the payment trigger");
            };
        }
        StripeSignature signature = new StripeSignature(settings.stripeSecrets(), settings.stripeTolerance(), clock);
        return new StripeWebhook(signature, billing.get());
    }

    @Provides
    @Singleton
    HttpApi httpApi(
            ProvisionTenant provision,
            DeprovisionTenant deprovision,
            DescribeTenant describe,
            ListTenants list,
            SuspendTenant suspend,
            ResumeTenant resume,
            ReconcileTenants reconcile,
            HttpApi.StripeRoute stripe,
            ProxyConfigRoute proxy,
            LogOutput log) {
        ApiKeys keys = settings.apiKeys().isEmpty() ? ApiKeys.none() : new ApiKeys(settings.apiKeys());
        ApiKeys proxyKeys = settings.proxyKeys().isEmpty() ? ApiKeys.none() : new ApiKeys(settings.proxyKeys());
        return new HttpApi(
                new HttpApi.UseCases(provision, deprovision, describe, list, suspend, resume, reconcile),
                settings.listLimit(),
                keys,
                proxyKeys,
                stripe,
                proxy,
                log);
    }

    @Provides
    @Singleton
    ProxyConfigRoute proxyRoute(ListRoutes routes, WakeTenant wake) {
        return new ProxyConfigRoute(routes, wake, settings.proxy());
    }

    @Provides
    @Singleton
    WakeTenant wakeTenant(PortRegistry registry, ResumeTenant resume) {
        return new WakeTenant(registry, resume);
    }

    @Provides
    @Singleton
    ListRoutes listRoutes(PortRegistry registry, ProvisioningPolicy policy) {
        return new ListRoutes(registry, policy);
    }

    @Provides
    @Singleton
    LogOutput logOutput() {
        return LogOutput.standardOutput();
    }
}
