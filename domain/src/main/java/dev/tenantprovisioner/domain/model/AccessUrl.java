package dev.tenantprovisioner.domain.model;

import java.net.URI;
import java.util.Objects;

/** Where a tenant reaches their instance, e.g. {@code http://user-123.54-123-45-6.sslip.io:3001}. */
public record AccessUrl(URI value) {

    public AccessUrl {
        Objects.requireNonNull(value, "accessUrl: must not be null");
        if (!"http".equals(value.getScheme()) && !"https".equals(value.getScheme())) {
            throw new InvalidValueException("accessUrl", "must be an http or https URL, was " + value);
        }
        if (value.getHost() == null) {
            throw new InvalidValueException("accessUrl", "must have a host, was " + value);
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
