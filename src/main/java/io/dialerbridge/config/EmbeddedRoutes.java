package io.dialerbridge.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The routes inside the jar (a copy of routes/ under {@value #FOLDER}), named one by one for Camel:
 * a wildcard would make Camel scan the whole jar, which takes seconds.
 */
final class EmbeddedRoutes {

    static final String FOLDER = "dialer-bridge/routes";

    private EmbeddedRoutes() {
    }

    /** Camel's routes include pattern for them: {@code classpath:dialer-bridge/routes/a.camel.yaml,…}. */
    static String includePattern() {
        URL folder = EmbeddedRoutes.class.getClassLoader().getResource(FOLDER);
        if (folder == null) {
            throw new ConfigurationException("no routes folder on disk (bridge.routes) and none inside the jar");
        }
        try {
            URI uri = folder.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return names(jar.provider().getPath(uri));
                }
            }
            return names(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".camel.yaml")).sorted()
                    .map(name -> "classpath:" + FOLDER + "/" + name).collect(Collectors.joining(","));
        }
    }
}
