package dev.tenantprovisioner.http.wiring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads settings from environment variables and collects every problem, so a misconfigured function
 * fails its init once, with one message that lists all of them.
 */
public final class Env {

    private final Map<String, String> variables;
    private final List<String> problems = new ArrayList<>();

    public Env(Map<String, String> variables) {
        this.variables = variables;
    }

    public Optional<String> optional(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String required(String name, String meaning) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            problems.add(name + " is required (" + meaning + ")");
            return "";
        }
        return value.get();
    }

    public String orDefault(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    public List<String> list(String name) {
        return optional(name)
                .map(v -> Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .orElse(List.of());
    }

    public int integer(String name, int fallback, int min, int max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                problems.add(name + " must be between " + min + " and " + max + ", was " + value);
                return fallback;
            }
            return value;
        } catch (NumberFormatException bad) {
            problems.add(name + " must be a whole number, was '" + raw.get() + "'");
            return fallback;
        }
    }

    /**
     * A duration such as {@code 90s}, {@code 10m} or {@code 1h} (a bare number is seconds), between {@code min} and
     * {@code max}; the fallback when unset or invalid (then a problem is recorded).
     */
    public Duration duration(String name, Duration fallback, Duration min, Duration max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        Duration value;
        try {
            value = parseDuration(raw.get());
        } catch (IllegalArgumentException bad) {
            problems.add(name + " must be a duration such as 90s, 10m or 1h, was '" + raw.get() + "'");
            return fallback;
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.add(name + " must be between " + text(min) + " and " + text(max) + ", was " + raw.get());
            return fallback;
        }
        return value;
    }

    private static Duration parseDuration(String raw) {
        String value = raw.trim().toLowerCase(java.util.Locale.ROOT);
        if (!value.matches("\\d{1,9}[smhd]?")) {
            throw new IllegalArgumentException(raw);
        }
        char unit = value.charAt(value.length() - 1);
        long amount = Long.parseLong(Character.isDigit(unit) ? value : value.substring(0, value.length() - 1));
        switch (unit) {
            case 'd':
                return Duration.ofDays(amount);
            case 'h':
                return Duration.ofHours(amount);
            case 'm':
                return Duration.ofMinutes(amount);
            default:
                return Duration.ofSeconds(amount);
        }
    }

    /** A comma-separated list of durations ({@code 5s,30s,2m}), each as {@link #duration} reads one. */
    public java.util.List<Duration> durations(String name, java.util.List<Duration> fallback, Duration max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        java.util.List<Duration> values = new java.util.ArrayList<>();
        for (String part : raw.get().split(",")) {
            Duration value;
            try {
                value = parseDuration(part);
            } catch (IllegalArgumentException bad) {
                problems.add(name + " must be durations such as 5s,30s,2m,10m, was '" + raw.get() + "'");
                return fallback;
            }
            if (value.compareTo(max) > 0) {
                problems.add(name + ": each pause must be at most " + text(max) + ", was " + part.trim());
                return fallback;
            }
            values.add(value);
        }
        return values;
    }

    private static String text(Duration duration) {
        if (duration.toSeconds() % 86_400 == 0 && duration.toDays() > 1) {
            return duration.toDays() + "d";
        }
        return duration.toSeconds() % 3600 == 0
                ? duration.toHours() + "h"
                : duration.toSeconds() % 60 == 0 ? duration.toMinutes() + "m" : duration.toSeconds() + "s";
    }

    /** Parses an optional value; a parser that throws makes it a problem, reported with its message. */
    public <T> Optional<T> parsed(String name, Function<String, T> parser) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(raw.get()));
        } catch (RuntimeException bad) {
            problems.add(name + " is invalid: " + bad.getMessage());
            return Optional.empty();
        }
    }

    public void problem(String description) {
        problems.add(description);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Throws one exception listing every problem found so far, if any. */
    public void check() {
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    /** The configuration cannot work; the message lists every problem. */
    public static final class ConfigurationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConfigurationException(List<String> problems) {
            super("invalid configuration (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + "):\n - " + String.join("\n - ", problems));
        }
    }
}
