package dev.tenantprovisioner.local;

/**
 * A part of the runner cannot start for a reason the user can put right. The message is one line that says what and
 * names the setting to change; {@code main} prints it and exits with {@link #EXIT_CODE}, as for an invalid
 * configuration, without a stack trace.
 */
final class CannotStart extends RuntimeException {

    static final int EXIT_CODE = 2;
    private static final long serialVersionUID = 1L;

    CannotStart(String line) {
        super(line, null, false, false);
    }
}
