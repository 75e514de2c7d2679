package org.lifeline.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * H2's shell in a process of its own, connected to a database and holding it open, the way an operator might look into
 * it: H2 lets one process open a file database, so the tests' own process is then refused it.
 */
public final class H2Shell implements AutoCloseable {

    private final Process process;

    private H2Shell(Process process) {
        this.process = process;
    }

    /** Returns once the shell has connected to {@code url}. */
    public static H2Shell holding(String url) throws IOException, java.net.URISyntaxException {
        var h2 = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        var java = ProcessHandle.current().info().command().orElseThrow();
        var process = new ProcessBuilder(java, "-cp", h2.toString(), "org.h2.tools.Shell",
                "-url", url, "-user", "sa", "-password", "")
                .redirectErrorStream(true).start();
        var output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        // the shell connects before it welcomes
        for (var line = output.readLine(); line == null || !line.startsWith("Welcome to H2 Shell"); line = output.readLine()) {
            if (line == null) {
                process.destroy();
                throw new IllegalStateException("H2's shell stopped before it connected");
            }
        }
        return new H2Shell(process);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
