package dev.tenantprovisioner.domain.spi;

import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.Ipv4Address;

/**
 * Asks a tenant's link whether it answers (a driven port): what "ready" means before the welcome email goes out, so
 * the email never carries a link that shows an error.
 */
public interface LinkProbe {

    /**
     * Requests {@code link} over HTTP(S), connecting to {@code address} (where the link's name points; a link on the
     * operator's own domain is resolved by DNS when {@code address} is empty) with the link's name as the host and
     * the TLS server name, and checking the certificate. Any answer below 500 is {@link Readiness.Ready}; no answer, an
     * answer of 500 or more, or a certificate that does not verify is {@link Readiness.NotReady} with the reason. A
     * probe may wait a while for the link to come up before it answers. Never throws for a link that does not answer.
     */
    Readiness probe(AccessUrl link, java.util.Optional<Ipv4Address> address);
}
