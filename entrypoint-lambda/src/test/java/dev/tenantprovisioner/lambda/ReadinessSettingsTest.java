package dev.tenantprovisioner.lambda;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.lambda.wiring.Bootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file of trusted roots that cannot serve the readiness probe is named among the settings' problems, in one line. */
class ReadinessSettingsTest {

    @TempDir
    Path folder;

    private static Map<String, String> withRoots(Path file) {
        Map<String, String> env = new HashMap<>(Fixture.baseEnv());
        env.put("READY_TRUSTED_ROOTS", file.toString());
        return env;
    }

    @Test
    void givenARootsFileWithoutACertificate_whenWiring_thenTheSettingIsNamed() throws Exception {
        Path notPem = Files.writeString(folder.resolve("roots.pem"), "not a certificate\n");

        assertThatThrownBy(() -> Bootstrap.modules(withRoots(notPem)))
                .hasMessageContaining("READY_TRUSTED_ROOTS names a file that holds no PEM certificate: " + notPem);
    }

    @Test
    void givenARootsFileThatIsMissing_whenWiring_thenTheSettingIsNamed() {
        Path missing = folder.resolve("missing.pem");

        assertThatThrownBy(() -> Bootstrap.modules(withRoots(missing)))
                .hasMessageContaining("READY_TRUSTED_ROOTS names a file that cannot be read: " + missing);
    }
}
