package dev.tenantprovisioner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantprovisioner.adapters.local.TenantCommand;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The checks before the runner starts anything, where a whole runner cannot show them, and their words. */
class PreflightTest {

    @TempDir
    Path work;

    @Test
    void givenNoShell_whenATenantCommandNeedsOne_thenOneLineNamesLocalTenantCommand() {
        Path missing = work.resolve("bin/sh");

        assertThatThrownBy(() -> Preflight.shell(missing))
                .isInstanceOf(CannotStart.class)
                .hasMessage("LOCAL_TENANT_COMMAND runs through " + missing + ", which this machine does not have;"
                        + " install a POSIX shell as " + missing + ", or unset LOCAL_TENANT_COMMAND to run the"
                        + " bundled demo app");
    }

    @ParameterizedTest
    @MethodSource("fileFailures")
    void givenAFileFailure_whenDescribed_thenAFewWordsSayWhyAndWhereWhenElsewhere(IOException failure, String said) {
        assertThat(Preflight.why(failure, Path.of("/data/outbox"))).isEqualTo(said);
    }

    static Stream<Arguments> fileFailures() {
        return Stream.of(
                Arguments.of(new AccessDeniedException("/data/outbox"), "permission denied"),
                Arguments.of(new AccessDeniedException("/data"), "permission denied (/data)"),
                Arguments.of(new NoSuchFileException("/data/outbox"), "no such file or folder, and it cannot be made"),
                Arguments.of(new FileAlreadyExistsException("/data/outbox"), "a file is in the way"),
                Arguments.of(
                        new FileSystemException("/data/outbox", null, "Read-only file system"),
                        "read-only file system"),
                Arguments.of(new UserPrincipalNotFoundException("postgres"), "this machine has no user named postgres"),
                Arguments.of(new IOException("disk on fire"), "disk on fire"));
    }

    @Test
    void givenThisMachinesShell_whenChecked_thenNothingIsSaid() {
        assertThatCode(() -> Preflight.shell(TenantCommand.SHELL)).doesNotThrowAnyException();
    }
}
