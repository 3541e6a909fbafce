package dev.tenantprovisioner.domain.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** A dotted-quad IPv4 address, the host part of an sslip.io name. */
public record Ipv4Address(String value) {

    private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");

    public Ipv4Address {
        Objects.requireNonNull(value, "host: must not be null");
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4) {
            throw new InvalidValueException("host", "must be an IPv4 address a.b.c.d, was '" + value + "'");
        }
        for (String part : parts) {
            if (!OCTET.matcher(part).matches() || Integer.parseInt(part) > 255) {
                throw new InvalidValueException(
                        "host", "must be an IPv4 address with octets 0-255 and no leading zeros, was '" + value + "'");
            }
        }
    }

    public static Ipv4Address of(String value) {
        return new Ipv4Address(value);
    }

    /** The dashed form {@code a-b-c-d}, the one access URLs use. */
    public String dashed() {
        return value.replace('.', '-');
    }

    @Override
    public String toString() {
        return value;
    }
}
