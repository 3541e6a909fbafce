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
 * (a fixed public address such as an Elastic IP, or else the one the runtime reports), how long a
 * claimed email send may stay unfinished before another caller takes it over, how long a started task
 * may take to run before the tenant is failed for lack of capacity, how long a port given up by a task
 * that was asked to stop is held back before it is handed out again regardless, how long a running tenant's link may
 * take to answer before the tenant fails, whether this process sends the welcome email at all, what happens to a
 * container that stops without being asked ({@link RestartPolicy}), and how much is taken on at once ({@link Limits}).
 */
public record ProvisioningPolicy(
        NotificationPolicy notifyWhen,
        AccessUrlFormat urlFormat,
        Optional<Ipv4Address> publicHost,
        Duration notificationClaimTimeout,
        Duration startDeadline,
        Duration portHoldGrace,
        Duration readyDeadline,
        boolean notifiesHere,
        RestartPolicy restarts,
        Limits limits) {

    public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofMinutes(2);
    /** A capacity provider scales out in a few minutes; a tenant should not wait much longer than that. */
    public static final Duration DEFAULT_START_DEADLINE = Duration.ofMinutes(10);
    /** ECS stops a task within its stop timeout (30 s by default, 120 s at most); ten minutes leaves room. */
    public static final Duration DEFAULT_PORT_HOLD_GRACE = Duration.ofMinutes(10);
    /**
     * How long a running tenant's link may take to answer before the tenant fails: an app's start, the proxy's next
     * look at the routes and an ACME certificate fit in well under a minute; five leave room for a slow image.
     */
    public static final Duration DEFAULT_READY_DEADLINE = Duration.ofMinutes(5);

    public ProvisioningPolicy {
        Objects.requireNonNull(notifyWhen, "notifyWhen");
        Objects.requireNonNull(urlFormat, "urlFormat");
        Objects.requireNonNull(publicHost, "publicHost");
        positive(notificationClaimTimeout, "notificationClaimTimeout");
        positive(startDeadline, "startDeadline");
        positive(portHoldGrace, "portHoldGrace");
        positive(readyDeadline, "readyDeadline");
        Objects.requireNonNull(restarts, "restarts");
        Objects.requireNonNull(limits, "limits");
    }

    /** With the default restart policy and no limits, as before either existed. */
    public ProvisioningPolicy(
            NotificationPolicy notifyWhen,
            AccessUrlFormat urlFormat,
            Optional<Ipv4Address> publicHost,
            Duration notificationClaimTimeout,
            Duration startDeadline,
            Duration portHoldGrace,
            Duration readyDeadline,
            boolean notifiesHere) {
        this(
                notifyWhen,
                urlFormat,
                publicHost,
                notificationClaimTimeout,
                startDeadline,
                portHoldGrace,
                readyDeadline,
                notifiesHere,
                RestartPolicy.defaults(),
                Limits.none());
    }

    public static ProvisioningPolicy defaults() {
        return new ProvisioningPolicy(
                NotificationPolicy.WHEN_RUNNING,
                AccessUrlFormat.sslip(),
                Optional.empty(),
                DEFAULT_CLAIM_TIMEOUT,
                DEFAULT_START_DEADLINE,
                DEFAULT_PORT_HOLD_GRACE,
                DEFAULT_READY_DEADLINE,
                true);
    }

    public ProvisioningPolicy withNotifyWhen(NotificationPolicy next) {
        return with(fields -> fields.notifyWhen = next);
    }

    public ProvisioningPolicy withPublicHost(Ipv4Address host) {
        return with(fields -> fields.publicHost = Optional.of(host));
    }

    public ProvisioningPolicy withUrlFormat(AccessUrlFormat format) {
        return with(fields -> fields.urlFormat = format);
    }

    public ProvisioningPolicy withStartDeadline(Duration deadline) {
        return with(fields -> fields.startDeadline = deadline);
    }

    public ProvisioningPolicy withPortHoldGrace(Duration grace) {
        return with(fields -> fields.portHoldGrace = grace);
    }

    /**
     * The welcome email is left to another process (on AWS: the functions that observe tasks and sweep), so the use
     * cases built on this policy never claim or send it; it stays pending for whoever sends.
     */
    public ProvisioningPolicy withNotificationsElsewhere() {
        return with(fields -> fields.notifiesHere = false);
    }

    public ProvisioningPolicy withReadyDeadline(Duration deadline) {
        return with(fields -> fields.readyDeadline = deadline);
    }

    public ProvisioningPolicy withRestarts(RestartPolicy next) {
        return with(fields -> fields.restarts = next);
    }

    public ProvisioningPolicy withLimits(Limits next) {
        return with(fields -> fields.limits = next);
    }

    /** Where the tenant's link points: the fixed public host, else the host the runtime reported for its task. */
    public Optional<Ipv4Address> linkHost(Lease lease) {
        return publicHost.or(lease::host);
    }

    /** Whether {@link #accessUrl} can build the link yet, without building it. */
    public boolean canLink(Lease lease) {
        return lease.port().isPresent()
                && (publicHost.isPresent() || lease.host().isPresent());
    }

    /** The link for a lease, once both a port and a host are known. */
    public Optional<AccessUrl> accessUrl(Lease lease) {
        Optional<Ipv4Address> host = linkHost(lease);
        if (host.isEmpty() || lease.port().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                urlFormat.format(lease.tenant(), host.get(), lease.port().get()));
    }

    /** This policy with one thing changed (the change sets it on a copy of the fields). */
    private ProvisioningPolicy with(java.util.function.Consumer<Fields> change) {
        Fields fields = new Fields(this);
        change.accept(fields);
        return fields.policy();
    }

    /** A policy's fields, to change one and make the next policy of them. */
    private static final class Fields {
        private NotificationPolicy notifyWhen;
        private AccessUrlFormat urlFormat;
        private Optional<Ipv4Address> publicHost;
        private Duration notificationClaimTimeout;
        private Duration startDeadline;
        private Duration portHoldGrace;
        private Duration readyDeadline;
        private boolean notifiesHere;
        private RestartPolicy restarts;
        private Limits limits;

        Fields(ProvisioningPolicy from) {
            this.notifyWhen = from.notifyWhen;
            this.urlFormat = from.urlFormat;
            this.publicHost = from.publicHost;
            this.notificationClaimTimeout = from.notificationClaimTimeout;
            this.startDeadline = from.startDeadline;
            this.portHoldGrace = from.portHoldGrace;
            this.readyDeadline = from.readyDeadline;
            this.notifiesHere = from.notifiesHere;
            this.restarts = from.restarts;
            this.limits = from.limits;
        }

        ProvisioningPolicy policy() {
            return new ProvisioningPolicy(
                    notifyWhen,
                    urlFormat,
                    publicHost,
                    notificationClaimTimeout,
                    startDeadline,
                    portHoldGrace,
                    readyDeadline,
                    notifiesHere,
                    restarts,
                    limits);
        }
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": must be positive");
        }
    }
}
