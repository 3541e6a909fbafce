package dev.tenantprovisioner.domain.usecase;

import dev.tenantprovisioner.domain.model.AccessUrl;
import dev.tenantprovisioner.domain.model.AccessUrlFormat;
import dev.tenantprovisioner.domain.model.Ipv4Address;
import dev.tenantprovisioner.domain.model.Lease;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The choices a deployment makes: when to email, how to build the link, which host to put in it
 * (a fixed public address such as an Elastic IP, or else the one the runtime reports), and how long
 * a claimed email send may stay unfinished before another caller takes it over.
 */
public record ProvisioningPolicy(
        NotificationPolicy notifyWhen,
        AccessUrlFormat urlFormat,
        Optional<Ipv4Address> publicHost,
        Duration notificationClaimTimeout) {

    public ProvisioningPolicy {
        Objects.requireNonNull(notifyWhen, "notifyWhen");
        Objects.requireNonNull(urlFormat, "urlFormat");
        Objects.requireNonNull(publicHost, "publicHost");
        Objects.requireNonNull(notificationClaimTimeout, "notificationClaimTimeout");
        if (notificationClaimTimeout.isNegative() || notificationClaimTimeout.isZero()) {
            throw new IllegalArgumentException("notificationClaimTimeout: must be positive");
        }
    }

    public static ProvisioningPolicy defaults() {
        return new ProvisioningPolicy(NotificationPolicy.WHEN_RUNNING, AccessUrlFormat.sslip(), Optional.empty(),
                Duration.ofMinutes(2));
    }

    public ProvisioningPolicy withNotifyWhen(NotificationPolicy next) {
        return new ProvisioningPolicy(next, urlFormat, publicHost, notificationClaimTimeout);
    }

    public ProvisioningPolicy withPublicHost(Ipv4Address host) {
        return new ProvisioningPolicy(notifyWhen, urlFormat, Optional.of(host), notificationClaimTimeout);
    }

    public ProvisioningPolicy withUrlFormat(AccessUrlFormat format) {
        return new ProvisioningPolicy(notifyWhen, format, publicHost, notificationClaimTimeout);
    }

    /** Whether {@link #accessUrl} can build the link yet, without building it. */
    public boolean canLink(Lease lease) {
        return lease.port().isPresent() && (publicHost.isPresent() || lease.host().isPresent());
    }

    /** The link for a lease, once both a port and a host are known. */
    public Optional<AccessUrl> accessUrl(Lease lease) {
        Optional<Ipv4Address> host = publicHost.or(lease::host);
        if (host.isEmpty() || lease.port().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(urlFormat.format(lease.tenant(), host.get(), lease.port().get()));
    }
}
