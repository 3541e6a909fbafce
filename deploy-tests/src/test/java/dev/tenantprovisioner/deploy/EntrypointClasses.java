package dev.tenantprovisioner.deploy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.tenantprovisioner.lambda.HttpApiHandler;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** The Lambda handler classes the entrypoint module holds, found in its jar or classes folder. */
final class EntrypointClasses {

    private static final String PACKAGE = "dev/tenantprovisioner/lambda/";

    private EntrypointClasses() {}

    static Set<String> requestHandlers() throws IOException {
        Set<String> handlers = new TreeSet<>();
        for (String name : classNames()) {
            try {
                Class<?> type = Class.forName(name, false, EntrypointClasses.class.getClassLoader());
                if (RequestHandler.class.isAssignableFrom(type) && !type.isInterface()) {
                    handlers.add(name);
                }
            } catch (ClassNotFoundException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return handlers;
    }

    private static Set<String> classNames() throws IOException {
        Path location;
        try {
            location = Path.of(HttpApiHandler.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Set<String> names = new TreeSet<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location.resolve(PACKAGE))) {
                files.map(f -> location.relativize(f).toString().replace('\\', '/'))
                        .forEach(f -> addClass(names, f));
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                jar.stream().forEach(entry -> addClass(names, entry.getName()));
            }
        }
        return names;
    }

    private static void addClass(Set<String> names, String entry) {
        if (entry.startsWith(PACKAGE) && entry.endsWith(".class") && !entry.contains("$")) {
            names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
        }
    }
}
