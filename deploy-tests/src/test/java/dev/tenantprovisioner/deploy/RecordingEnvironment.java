package dev.tenantprovisioner.deploy;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** An environment that remembers which variables were looked up, so a test can see what configuration reads. */
final class RecordingEnvironment extends AbstractMap<String, String> {

    private final Map<String, String> values;
    private final Set<String> read = new TreeSet<>();

    RecordingEnvironment(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    @Override
    public String get(Object key) {
        read.add((String) key);
        return values.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public String getOrDefault(Object key, String fallback) {
        String value = get(key);
        return value == null ? fallback : value;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        // A reader that walks every variable cannot be checked name by name; say so rather than pass silently.
        throw new UnsupportedOperationException("configuration must look variables up by name");
    }

    Set<String> read() {
        return Set.copyOf(read);
    }
}
