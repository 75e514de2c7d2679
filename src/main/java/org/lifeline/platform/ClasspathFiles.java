package org.lifeline.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the text files below a folder of one class path root, a directory or a jar (Spring Boot's nested jars too):
 * the class loader finds a file by name, but cannot list what a folder holds. Plain Java, for the flow engine too.
 */
public final class ClasspathFiles {

    private ClasspathFiles() {
    }

    /**
     * The files below {@code folder} whose names end with {@code suffix}, by their path relative to it, in the root
     * where {@code resource} (a path such as {@code flows/common}) was found at {@code url}.
     */
    public static Map<String, String> read(URL url, String resource, String folder, String suffix) {
        var files = new TreeMap<String, String>();
        var prefix = folder + "/";
        try {
            if ("file".equals(url.getProtocol())) {
                var root = Path.of(url.toURI());
                for (var ignored : resource.split("/")) {
                    root = root.getParent();
                }
                var base = root.resolve(folder);
                try (Stream<Path> paths = Files.walk(base)) {
                    for (var path : paths.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).toList()) {
                        files.put(base.relativize(path).toString().replace('\\', '/'), Files.readString(path));
                    }
                }
                return files;
            }
            var connection = (JarURLConnection) url.openConnection();
            connection.setUseCaches(false);
            try (var jar = connection.getJarFile()) {
                for (var entry : Collections.list(jar.entries())) {
                    if (!entry.isDirectory() && entry.getName().startsWith(prefix) && entry.getName().endsWith(suffix)) {
                        try (var in = jar.getInputStream(entry)) {
                            files.put(entry.getName().substring(prefix.length()),
                                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        }
                    }
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + folder + " at " + url, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot read " + folder + " at " + url, e);
        }
    }
}
