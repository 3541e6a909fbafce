package dev.tenantprovisioner.lambda.wiring;

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
        return optional(name).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
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
            super("invalid configuration (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):\n - "
                    + String.join("\n - ", problems));
        }
    }
}
