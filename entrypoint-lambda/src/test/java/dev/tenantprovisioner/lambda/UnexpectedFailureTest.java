package dev.tenantprovisioner.lambda;

import static dev.tenantprovisioner.lambda.Fixture.authorized;
import static dev.tenantprovisioner.lambda.Fixture.json;
import static dev.tenantprovisioner.lambda.Fixture.provisionBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.google.inject.util.Modules;
import dev.tenantprovisioner.domain.model.Email;
import dev.tenantprovisioner.domain.model.HostPort;
import dev.tenantprovisioner.domain.model.Lease;
import dev.tenantprovisioner.domain.model.PortPool;
import dev.tenantprovisioner.domain.model.TaskId;
import dev.tenantprovisioner.domain.model.TenantId;
import dev.tenantprovisioner.domain.spi.HeldPort;
import dev.tenantprovisioner.domain.spi.PortRegistry;
import dev.tenantprovisioner.http.HttpApi;
import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnexpectedFailureTest {

    /** A registry with a bug: every call fails the way a programming error would. */
    private static final class BrokenRegistry implements PortRegistry {
        private static IllegalStateException bug() {
            return new IllegalStateException("registry bug");
        }

        @Override
        public dev.tenantprovisioner.domain.spi.Grant grant(
                TenantId tenant, Email email, boolean revive, int maxActive) {
            throw bug();
        }

        @Override
        public Optional<Lease> find(TenantId tenant) {
            throw bug();
        }

        @Override
        public Lease save(Lease next) {
            throw bug();
        }

        @Override
        public Lease release(Lease current, String reason, boolean holdPort) {
            throw bug();
        }

        @Override
        public List<HeldPort> heldPorts(int limit) {
            throw bug();
        }

        @Override
        public boolean freeHeldPort(HostPort port, Optional<TaskId> task) {
            throw bug();
        }

        @Override
        public Optional<Lease> retire(TenantId tenant, Optional<java.time.Duration> forgetAfter) {
            throw bug();
        }

        @Override
        public Optional<dev.tenantprovisioner.domain.spi.ProvisionSlot> takeSlot(
                TenantId tenant, int max, java.time.Duration hold) {
            throw bug();
        }

        @Override
        public void releaseSlot(dev.tenantprovisioner.domain.spi.ProvisionSlot slot) {
            throw bug();
        }

        @Override
        public List<Lease> list(int limit) {
            throw bug();
        }

        @Override
        public dev.tenantprovisioner.domain.spi.LeasePage page(dev.tenantprovisioner.domain.spi.LeaseQuery query) {
            throw bug();
        }

        @Override
        public dev.tenantprovisioner.domain.spi.LeasePage needingAttention(int limit, Optional<String> cursor) {
            throw bug();
        }

        @Override
        public PortPool pool() {
            return PortPool.defaults();
        }
    }

    @Test
    void givenBugBehindTheApi_whenProvisioning_then500ProblemAndTheLogSaysWhere() {
        InMemoryAdaptersModule adapters = new InMemoryAdaptersModule(PortPool.defaults());
        Injector injector = Guice.createInjector(
                Stage.PRODUCTION,
                Modules.override(Modules.override(Bootstrap.modules(Fixture.baseEnv()))
                                .with(adapters))
                        .with(binder -> binder.bind(PortRegistry.class).toInstance(new BrokenRegistry())));
        HttpApiHandler handler = new HttpApiHandler(injector.getInstance(HttpApi.class));

        APIGatewayV2HTTPResponse response =
                handler.handleRequest(authorized("POST", "/provision", provisionBody("user-1", "a@example.com")), null);

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(json(response)).containsEntry("code", "internal-error");
        assertThat(response.getBody()).doesNotContain("registry bug");
        assertThat(adapters.logLines())
                .singleElement()
                .asString()
                .contains("\"level\":\"ERROR\"", "registry bug", "\"at\":\"", "BrokenRegistry");
        assertThat(adapters.runtime.all()).isEmpty();
    }
}
