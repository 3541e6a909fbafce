package dev.tenantprovisioner.domain.spi;

/** A listing cursor this registry did not hand out (or that was altered): the caller's mistake, not the registry's. */
public class InvalidCursorException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidCursorException(String cursor) {
        super("cursor: not a cursor this listing handed out: '" + cursor + "'");
    }
}
