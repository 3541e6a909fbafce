package dev.tenantprovisioner.adapters.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Where a {@link LocalPostgresServer} keeps its cluster: in the folder chosen for it, unless the server runs as the
 * {@code postgres} user (as root) and that user cannot reach the folder, as in a clone inside {@code /root} (mode
 * 0700). Then the cluster lives in a folder of its own under {@link #SHARED}, owned by {@code postgres}, mode 0700,
 * named after the chosen folder, and the chosen folder keeps a note of where ({@code cluster-location}), so every
 * later start finds the same cluster. The user's folders are never opened up.
 */
public record ClusterFolder(Path chosen, Path actual) {

    /** Where moved clusters live: kept across reboots, unlike {@code /tmp}, and reachable by the postgres user. */
    public static final Path SHARED = Path.of("/var/lib/tenant-provisioner");

    /** The file in the chosen folder that names the place its cluster moved to. */
    public static final String NOTE = "cluster-location";

    /** Makes {@code chosen} if need be, and finds or makes the place of its cluster. */
    public static ClusterFolder of(Path chosen) throws IOException {
        return of(chosen, SHARED, LocalPostgresServer.runsAsPostgresUser());
    }

    static ClusterFolder of(Path chosen, Path shared, boolean asPostgresUser) throws IOException {
        Files.createDirectories(chosen);
        Path note = chosen.resolve(NOTE);
        if (Files.isRegularFile(note)) {
            Path remembered = Path.of(Files.readString(note).strip());
            prepare(remembered, asPostgresUser);
            return new ClusterFolder(chosen, remembered);
        }
        Path parent = chosen.getParent() == null ? chosen : chosen.getParent();
        if (!asPostgresUser || postgresReaches(parent)) {
            return new ClusterFolder(chosen, chosen);
        }
        if (!Files.isDirectory(shared)) {
            Files.createDirectories(shared);
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path moved = shared.resolve(nameFor(chosen));
        prepare(moved, true);
        Files.writeString(moved.resolve("chosen-location"), chosen + "\n");
        Files.writeString(note, moved + "\n");
        return new ClusterFolder(chosen, moved);
    }

    /** Whether the cluster lives elsewhere than in the folder chosen for it. */
    public boolean moved() {
        return !chosen.equals(actual);
    }

    private static void prepare(Path folder, boolean asPostgresUser) throws IOException {
        Files.createDirectories(folder);
        if (asPostgresUser) {
            UserPrincipal postgres =
                    folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(folder, postgres);
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    }

    /** Asks the kernel, as the postgres user, whether that user may pass through {@code folder}. */
    private static boolean postgresReaches(Path folder) throws IOException {
        try {
            Process test = new ProcessBuilder("runuser", "-u", "postgres", "--", "test", "-x", folder.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!test.waitFor(30, TimeUnit.SECONDS)) {
                test.destroyForcibly();
                throw new IOException("runuser -u postgres -- test -x " + folder + " did not finish in 30 s");
            }
            return test.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking " + folder, e);
        }
    }

    private static String nameFor(Path chosen) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(chosen.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
