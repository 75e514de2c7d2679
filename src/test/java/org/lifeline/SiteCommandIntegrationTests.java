package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.platform.CommandContext;
import org.lifeline.site.SiteLanguage;
import org.lifeline.site.SitePage;

/** {@code site export DIR} and {@code site verify-channels} as an operator runs them. */
@Tag("integration")
class SiteCommandIntegrationTests {

    @TempDir
    Path dir;

    @Test
    void exportsAStaticSiteWhoseChannelListVerifiesUntilTampered() throws Exception {
        var out = new StringWriter();
        int exit;
        try (var context = new CommandContext(LifelineApplication.class)) {
            exit = LifelineCommandLine.commandLine(context).setOut(new PrintWriter(out)).execute("site", "export", dir.toString());
        }

        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("Wrote ");
        assertThat(dir.resolve("ko/index.html")).content().contains("<html lang=\"ko\"", "href=\"surrender.html\"");
        assertThat(dir.resolve("index.html")).content().contains("href=\"ru/index.html\"");
        try (var htmlFiles = Files.walk(dir)) {
            assertThat(htmlFiles.filter(file -> file.toString().endsWith(".html")))
                    .hasSize(SiteLanguage.all().size() * SitePage.values().length + 1)
                    .allSatisfy(file -> assertThat(file).content()
                            .doesNotContainPattern("(href|src|action)=\"(/|[a-z]+:)"));
        }

        var list = dir.resolve(".well-known/lifeline-channels.json").toString();
        var key = dir.resolve(".well-known/lifeline-channels.pub.json").toString();
        var printed = new StringWriter();
        assertThat(verify(list, key, printed)).isZero();
        assertThat(printed.toString()).as("when it was signed").containsPattern("Signed on 20\\d\\d-.*Z, valid until 20\\d\\d-");
        assertThat(printed.toString()).as("the fingerprint to compare with the leaflet's")
                .contains("Signing key fingerprint: " + org.lifeline.site.ChannelList.fingerprint(Files.readString(Path.of(key))));
        assertThat(dir.resolve("en/fakes.html")).content()
                .contains(org.lifeline.site.ChannelList.fingerprint(Files.readString(Path.of(key))));

        var tampered = dir.resolve("tampered.json");
        Files.writeString(tampered, Files.readString(Path.of(list)).replace("\"phones\\\":[]", "\"phones\\\":[\\\"+7 495 000 00 00\\\"]"));
        assertThat(Files.readString(tampered)).contains("+7 495");
        assertThat(verify(tampered.toString(), key, new StringWriter())).isEqualTo(1);

        var fingerprint = org.lifeline.site.ChannelList.fingerprint(Files.readString(Path.of(key)));
        assertThat(verify(list, key, new StringWriter(), "--fingerprint", fingerprint.toLowerCase().replace(" ", "")))
                .as("the leaflet's fingerprint, however typed").isZero();
        var other = (fingerprint.charAt(0) == 'A' ? "B" : "A") + fingerprint.substring(1);
        assertThat(verify(list, key, new StringWriter(), "--fingerprint", other)).as("another fingerprint").isEqualTo(1);
    }

    private static int verify(String list, String key, StringWriter out, String... more) {
        try (var context = new CommandContext(LifelineApplication.class)) {
            var arguments = new java.util.ArrayList<>(java.util.List.of("site", "verify-channels", list, "--public-key", key));
            arguments.addAll(java.util.List.of(more));
            return LifelineCommandLine.commandLine(context).setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(new StringWriter())).execute(arguments.toArray(String[]::new));
        }
    }
}
