package org.lifeline.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.jar.JarFile;

/**
 * The application as a process of its own, started from its main class on the test's classpath (without the test
 * classes, whose configurations component scanning would pick up), as {@code java -jar} would run it. It can be
 * killed with SIGKILL, which runs nothing of the application: no shutdown hook, no finally block.
 */
public final class LifelineProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private LifelineProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the server with these {@code --name=value} arguments on a free port; returns once it is healthy. */
    public static LifelineProcess start(Path logFile, List<String> arguments) throws IOException, InterruptedException {
        return start(logFile, arguments, List.of());
    }

    /** As {@link #start(Path, List)}, with these directories or jars after the application's class path. */
    public static LifelineProcess start(Path logFile, List<String> arguments, List<Path> addedClasspath)
            throws IOException, InterruptedException {
        var port = freePort();
        var command = new ArrayList<String>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // a quicker start for a short-lived test server
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
        command.add("-cp");
        var classpath = new ArrayList<String>();
        classpath.add(applicationClasspath());
        addedClasspath.forEach(entry -> classpath.add(entry.toString()));
        command.add(String.join(File.pathSeparator, classpath));
        command.add("org.lifeline.LifelineApplication");
        command.add("--server.port=" + port);
        command.addAll(arguments);
        var process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        var started = new LifelineProcess(process, logFile, port);
        started.awaitHealthy(Duration.ofMinutes(3));
        return started;
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** SIGKILL: the process ends where it stands. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as a service manager stops it; returns how long it took to exit. */
    public Duration stop() throws InterruptedException {
        var started = System.nanoTime();
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** The end of the server's output, for a failure message. */
    public String logTail() {
        try {
            var lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private void awaitHealthy(Duration deadline) throws IOException, InterruptedException {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var until = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Lifeline exited with " + process.exitValue() + " while starting:\n" + logTail());
            }
            try {
                var answer = http.send(HttpRequest.newBuilder(uri("/actuator/health")).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            // polling a process that gives no other signal when it is ready
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new IllegalStateException("Lifeline did not become healthy within " + deadline + ":\n" + logTail());
    }

    /** The test's classpath, a manifest-only jar expanded, without test classes. */
    static String applicationClasspath() throws IOException {
        var entries = new LinkedHashSet<String>();
        for (var entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            var file = new File(entry);
            if (file.isFile() && entry.endsWith(".jar")) {
                try (var jar = new JarFile(file)) {
                    var manifest = jar.getManifest();
                    var classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
                    if (classPath != null && !classPath.isBlank()) {
                        for (var url : classPath.trim().split("\\s+")) {
                            entries.add(new File(file.getParentFile().toURI().resolve(url)).getPath());
                        }
                        continue;
                    }
                }
            }
            entries.add(file.getPath());
        }
        entries.removeIf(entry -> entry.replace('\\', '/').replaceAll("/$", "").endsWith("/test-classes"));
        return String.join(File.pathSeparator, entries);
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
