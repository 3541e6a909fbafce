package dev.tenantprovisioner.domain.usecase;

/** When the welcome email may go out. */
public enum NotificationPolicy {
    /** Once the runtime reports the container running: the link answers when the email arrives. The default. */
    WHEN_RUNNING,
    /** As soon as the container is started (the original flow); needs a configured public host for the link. */
    WHEN_STARTED
}
