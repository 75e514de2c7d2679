package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifeline.testing.FormPosts.submit;

import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.Role;
import org.lifeline.testing.DatabaseAvailability;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Stopping the server while an operator's console holds its live-update stream open: the stream ends at once and
 * the whole shutdown (what SIGTERM runs) takes well under 3 seconds, with the workers stopped before the database
 * closes (no warning). Before, the open stream held the graceful shutdown until its timeout.
 */
@Tag("integration")
@ExtendWith({DatabaseAvailability.class, OutputCaptureExtension.class})
class ShutdownIntegrationTests {

    static final String PASSWORD = "a long enough password";

    @Test
    void stopsInUnderThreeSecondsWithAnOpenConsoleEventStream(@TempDir Path data, CapturedOutput output) throws Exception {
        // on H2 a database of its own; on PostgreSQL the run's schema, whose data keys need the run's keys
        var dataDir = DatabaseAvailability.onPostgres() ? System.getProperty("lifeline.data-dir") : data.toString();
        var context = new SpringApplicationBuilder(LifelineApplication.class)
                .run("--server.port=0", "--lifeline.data-dir=" + dataDir, "--spring.datasource.hikari.maximum-pool-size=4");
        var closed = false;
        try {
            var port = context.getEnvironment().getProperty("local.server.port");
            var base = URI.create("http://127.0.0.1:" + port);
            var admin = context.getBean(OperatorAdministration.class);
            var name = "stopper-" + UUID.randomUUID().toString().substring(0, 8);
            var secret = admin.createEnrolled(name, Role.OPERATOR, PASSWORD).enrolment().secret();

            var http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            submit(http, base, "/console/login", Map.of("username", name, "password", PASSWORD));
            var code = new DefaultCodeGenerator().generate(secret, Math.floorDiv(System.currentTimeMillis(), 30_000L));
            submit(http, base, "/console/login/code", Map.of("code", code));

            // the stream answers at once with an opening comment; then a change reaches this browser as an event
            var events = http.send(HttpRequest.newBuilder(base.resolve("/console/events"))
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(events.statusCode()).isEqualTo(200);
            var body = events.body();
            assertThat(readUntil(body, ":open")).isTrue();
            var conversations = context.getBean(ConversationManagement.class);
            conversations.openOrResumeConversation(
                    conversations.findOrCreateContact("telegram", "stop-" + UUID.randomUUID(), "ru"), "ru", null);
            assertThat(readUntil(body, "event:queue")).isTrue();
            var logBefore = output.length();

            var started = System.nanoTime();
            context.close();
            closed = true;
            var took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).isLessThan(Duration.ofSeconds(3));
            assertThat(body.readAllBytes()).as("the stream ended").isNotNull();
            var shutdownLog = output.toString().substring(logBefore);
            assertThat(shutdownLog).doesNotContain(" WARN ").doesNotContain(" ERROR ")
                    .doesNotContain("Graceful shutdown aborted");
        } finally {
            if (!closed) {
                context.close();
            }
        }
    }

    /** Reads the stream until the text appears (true) or it ends (false). */
    private static boolean readUntil(InputStream in, String text) throws Exception {
        var seen = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            seen.append((char) b);
            if (seen.toString().replace(" ", "").contains(text)) {
                return true;
            }
        }
        return false;
    }
}
