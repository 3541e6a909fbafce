package dev.tenantprovisioner.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of template.yaml the checks look at, over the plain maps SnakeYAML gives. */
final class SamTemplate {

    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    /** The template at the repository root, as the build passes it in {@code deploy.template}. */
    static SamTemplate atRepositoryRoot() throws IOException {
        Path file = Path.of(System.getProperty("deploy.template", "../template.yaml"));
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no template at " + file.toAbsolutePath());
        }
        return new SamTemplate(CloudFormationYaml.read(file));
    }

    Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        map(root, "Resources").forEach((name, resource) -> {
            Map<String, Object> body = asMap(resource);
            if (type.equals(body.get("Type"))) {
                found.put(name, map(body, "Properties"));
            }
        });
        return found;
    }

    Map<String, Object> resource(String logicalId) {
        return map(map(root, "Resources"), logicalId);
    }

    Map<String, Object> root() {
        return root;
    }

    Map<String, Object> parameters() {
        return map(root, "Parameters");
    }

    /** A function's property, its own value or else the one in Globals.Function. */
    Object functionProperty(Map<String, Object> function, String property) {
        return function.containsKey(property)
                ? function.get(property)
                : map(map(root, "Globals"), "Function").get(property);
    }

    /** The environment a function gets: Globals.Function's variables, overridden by its own. */
    Map<String, Object> environment(Map<String, Object> function) {
        Map<String, Object> variables =
                new LinkedHashMap<>(map(map(map(map(root, "Globals"), "Function"), "Environment"), "Variables"));
        variables.putAll(map(map(function, "Environment"), "Variables"));
        return variables;
    }

    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object child = parent.get(key);
        return child == null ? Map.of() : asMap(child);
    }

    static List<Object> list(Object value) {
        if (value instanceof List<?> items) {
            return List.copyOf(items);
        }
        return value == null ? List.of() : List.of(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalStateException("expected a mapping, found " + value);
        }
        return (Map<String, Object>) value;
    }
}
