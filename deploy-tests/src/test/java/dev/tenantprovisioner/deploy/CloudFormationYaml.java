package dev.tenantprovisioner.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads a CloudFormation template; the short intrinsic tags ({@code !Ref}, {@code !Sub}, ...) become {@link Tagged}. */
final class CloudFormationYaml {

    /** An intrinsic function in short form: the tag without its {@code !}, and its plain argument. */
    record Tagged(String function, Object argument) {}

    private CloudFormationYaml() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return (Map<String, Object>) new Yaml(new IntrinsicsConstructor()).load(reader);
        }
    }

    private static final class IntrinsicsConstructor extends SafeConstructor {

        IntrinsicsConstructor() {
            super(new LoaderOptions());
            // A multi-constructor for the prefix "!" takes every local tag, whatever the function.
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return new Tagged(node.getTag().getValue().substring(1), plain(node));
                }
            });
        }

        private Object plain(Node node) {
            if (node instanceof ScalarNode scalar) {
                return constructScalar(scalar);
            }
            if (node instanceof SequenceNode sequence) {
                return constructSequence(sequence);
            }
            return constructMapping((MappingNode) node);
        }
    }
}
