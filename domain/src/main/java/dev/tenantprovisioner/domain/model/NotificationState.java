package dev.tenantprovisioner.domain.model;

/** Where the welcome email of the current generation stands. */
public enum NotificationState {
    /** Not sent yet; the next provision attempt (or runtime event) sends it once the policy allows. */
    PENDING,
    /** A caller has claimed the send; another caller may reclaim it once the claim has timed out. */
    SENDING,
    SENT,
    /** The mail provider refused the message for good (e.g. an address it will not deliver to). */
    FAILED
}
