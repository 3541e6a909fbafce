package dev.tenantprovisioner.adapters.aws.dynamodb;

import java.util.Objects;
import java.util.regex.Pattern;

/** A DynamoDB table name, checked against DynamoDB's own rule so a typo fails at start-up, not on the first request. */
public record TableName(String value) {

    public static final String DEFAULT = "PortTracking";
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    public TableName {
        Objects.requireNonNull(value, "tableName: must not be null");
        if (!LEGAL.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "tableName: must be 3-255 characters of letters, digits, '_', '-' and '.', was '" + value + "'");
        }
    }

    public static TableName of(String value) {
        return new TableName(value);
    }

    public static TableName defaultName() {
        return new TableName(DEFAULT);
    }

    @Override
    public String toString() {
        return value;
    }
}
