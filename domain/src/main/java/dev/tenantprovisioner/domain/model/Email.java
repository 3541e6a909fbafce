package dev.tenantprovisioner.domain.model;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An email address in the common dot-atom form {@code local@domain}. Quoted local parts and address
 * literals are refused: they are legal but no signup form produces them and mail providers reject many.
 */
public record Email(String value) {

    public static final int MAX_LENGTH = 254;
    private static final Pattern LOCAL =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    public Email {
        Objects.requireNonNull(value, "email: must not be null");
        if (value.isEmpty()) {
            throw new InvalidValueException("email", "must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidValueException("email", "must be at most " + MAX_LENGTH + " characters");
        }
        int at = value.lastIndexOf('@');
        if (at <= 0 || at == value.length() - 1) {
            throw new InvalidValueException("email", "must have the form local@domain");
        }
        String local = value.substring(0, at);
        String domain = value.substring(at + 1);
        if (local.length() > 64 || !LOCAL.matcher(local).matches()) {
            throw new InvalidValueException("email", "has an invalid part before the @");
        }
        if (!DOMAIN.matcher(domain).matches()) {
            throw new InvalidValueException("email", "has an invalid domain after the @");
        }
    }

    public static Email of(String value) {
        return new Email(value);
    }

    /** The address with most of the local part hidden, for logs: {@code j***@example.com}. */
    public String masked() {
        int at = value.lastIndexOf('@');
        return value.charAt(0) + "***" + value.substring(at).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return masked();
    }
}
