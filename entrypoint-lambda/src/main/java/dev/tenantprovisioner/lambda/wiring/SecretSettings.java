package dev.tenantprovisioner.lambda.wiring;

import dev.tenantprovisioner.http.wiring.Env;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settings whose values are secret come from AWS Secrets Manager when {@code <NAME>_SECRET_ID} names a secret
 * (its name or ARN; the secret string is the value). They are read once, during init, so they never sit in the
 * function's configuration, where anyone allowed {@code lambda:GetFunctionConfiguration} would read them; each
 * function's role may read only the secrets that function uses. Under SnapStart the values read at init are part
 * of the (encrypted) snapshot: a rotated secret reaches the function with its next published version.
 */
final class SecretSettings {

    /** The settings that may come from Secrets Manager. */
    static final List<String> SECRET = List.of(
            "API_KEYS",
            "STRIPE_WEBHOOK_SECRETS",
            "RESEND_API_KEY",
            "DATABASE_ADMIN_PASSWORD",
            "DATABASE_PASSWORD_KEY",
            "PROXY_KEYS");

    static final String SUFFIX = "_SECRET_ID";

    private SecretSettings() {}

    /**
     * The environment with every {@code <NAME>_SECRET_ID} replaced by the secret's value under {@code NAME}; problems
     * (both set, a secret that cannot be read) are recorded in {@code problems}. Without any such variable, the source
     * is never asked.
     */
    static Map<String, String> resolve(Map<String, String> environment, List<String> problems, SecretSource source) {
        Map<String, String> read = new HashMap<>();
        for (String name : SECRET) {
            String reference = environment.get(name + SUFFIX);
            if (reference == null || reference.isBlank()) {
                continue;
            }
            String direct = environment.get(name);
            if (direct != null && !direct.isBlank()) {
                problems.add(name + " and " + name + SUFFIX + " are both set; set one of them");
                continue;
            }
            try {
                String value = source.read(reference.trim());
                if (value == null || value.isBlank()) {
                    problems.add(name + SUFFIX + ": secret '" + reference.trim() + "' has no secret string");
                } else {
                    read.put(name, value);
                }
            } catch (RuntimeException e) {
                // The message names the secret and the reason (not found, access denied), never a value.
                problems.add(name + SUFFIX + ": cannot read secret '" + reference.trim() + "': " + e.getMessage());
            }
        }
        return read.isEmpty() ? environment : new Overlay(read, environment);
    }

    /** The secrets read, over the environment; looked up by name only, as {@link Env} does. */
    private static final class Overlay extends AbstractMap<String, String> {
        private final Map<String, String> top;
        private final Map<String, String> below;

        Overlay(Map<String, String> top, Map<String, String> below) {
            this.top = top;
            this.below = below;
        }

        @Override
        public String get(Object key) {
            String value = top.get(key);
            return value != null ? value : below.get(key);
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            Map<String, String> all = new HashMap<>(below);
            all.putAll(top);
            return all.entrySet();
        }
    }
}
