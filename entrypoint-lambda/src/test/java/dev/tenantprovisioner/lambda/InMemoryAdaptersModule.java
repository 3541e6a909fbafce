package dev.tenantprovisioner.lambda;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.tenantprovisioner.adapters.inmemory.InMemoryBillingRecords;
import dev.tenantprovisioner.adapters.inmemory.InMemoryContainerRuntime;
import dev.tenantprovisioner.adapters.inmemory.InMemoryLinkProbe;
import dev.tenantprovisioner.adapters.inmemory.InMemoryPortRegistry;
import dev.tenantprovisioner.adapters.inmemory.RecordingMailer;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.spi.BillingRecords;
import dev.tenantprovisioner.domain.spi.ContainerRuntime;
import dev.tenantprovisioner.domain.spi.LinkProbe;
import dev.tenantprovisioner.domain.spi.Mailer;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.http.LogOutput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Swaps the AWS adapters for in-memory ones and captures the request log. */
final class InMemoryAdaptersModule extends AbstractModule {

    final InMemoryPortRegistry registry;
    final InMemoryContainerRuntime runtime = new InMemoryContainerRuntime();
    final RecordingMailer mailer = new RecordingMailer();
    final InMemoryBillingRecords billing = new InMemoryBillingRecords();
    private final ByteArrayOutputStream logBuffer = new ByteArrayOutputStream();

    InMemoryAdaptersModule(PortPool pool) {
        registry = new InMemoryPortRegistry(pool);
    }

    @Override
    protected void configure() {
        bind(PortRegistry.class).toInstance(registry);
        bind(ContainerRuntime.class).toInstance(runtime);
        bind(Mailer.class).toInstance(mailer);
        bind(BillingRecords.class).toInstance(billing);
        bind(LogOutput.class).toInstance(new LogOutput(new PrintStream(logBuffer, true, StandardCharsets.UTF_8)));
        // Ready means the link answers: here, that the tenant's in-memory container runs and answers.
        OptionalBinder.newOptionalBinder(binder(), LinkProbe.class)
                .setBinding()
                .toInstance(new InMemoryLinkProbe(registry, runtime));
    }

    List<String> logLines() {
        return logBuffer.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
