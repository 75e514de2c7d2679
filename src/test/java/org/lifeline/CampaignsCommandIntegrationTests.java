package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.google.zxing.ResultMetadataType;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.campaigns.CampaignKit;
import org.lifeline.campaigns.QrImages;
import org.lifeline.platform.CommandContext;
import org.lifeline.site.ChannelList;
import org.lifeline.testing.PersistenceTest;

/**
 * {@code campaigns create} and {@code campaigns list} as a campaign manager runs them: every QR code written must
 * read back as exactly the link printed, also shrunk to a third and blurred, as on a badly photocopied leaflet.
 */
@PersistenceTest
@Tag("integration")
class CampaignsCommandIntegrationTests {

    private static final String ONION = "a".repeat(56) + ".onion";

    @TempDir
    Path out;

    @Test
    void printsEveryEntryPointAndWritesQrCodesThatReadBackAsExactlyThoseLinksEvenShrunkAndBlurred() throws Exception {
        var name = "Korean video " + System.nanoTime();
        var printed = run("campaigns", "create", "--name", name, "--language", "ko", "--audience", "KPA troops",
                "--from", "2026-01-01", "--until", "2099-12-31", "--out", out.toString()).lines().toList();

        var code = Pattern.compile("start=([A-Za-z0-9]{12})$").matcher(printed.getFirst());
        assertThat(code.find()).as("a 12-character code in %s", printed.getFirst()).isTrue();
        var c = code.group(1);
        assertThat(printed).containsExactly(
                "https://t.me/lifeline_campaign_bot?start=" + c,
                "https://t.me/lifeline_campaign2_bot?start=" + c,
                "https://wa.me/380440000001?text=%2Fstart%20" + c,
                "https://chat.example.org/ko/c/" + c,
                "https://live.example.net/lifeline/ko/c/" + c,
                "http://" + ONION + "/ko/c/" + c,
                "tel:+380440000000");

        var decodedPng = decodeAll("png", file -> ImageIO.read(file.toFile()));
        assertThat(decodedPng.values()).containsExactlyInAnyOrderElementsOf(printed);
        var decodedSvg = decodeAll("svg", file -> QrImages.rendered(Files.readString(file), 4));
        assertThat(decodedSvg.values()).containsExactlyInAnyOrderElementsOf(printed);

        for (var png : decodedPng.keySet()) {
            var image = ImageIO.read(png.toFile());
            var result = QrImages.decode(image);
            var damaged = QrImages.blurred(QrImages.scaled(image, 1.0 / 3), 2);
            assertThat(decode(damaged, png.getFileName() + " shrunk to a third and blurred")).isEqualTo(decodedPng.get(png));
            assertThat(result.getResultMetadata()).containsEntry(ResultMetadataType.ERROR_CORRECTION_LEVEL, "H");
            assertThat(quietZonePixels(image)).as("quiet zone of %s", png).isGreaterThanOrEqualTo(4 * CampaignKit.PIXELS_PER_MODULE);
        }

        // the printed and filmed material: an end card and a leaflet per bot, whose code leads to that bot
        for (var bot : List.of("lifeline_campaign_bot", "lifeline_campaign2_bot")) {
            var card = ImageIO.read(out.resolve("end-card-telegram-" + bot.replace("_", "-") + ".png").toFile());
            assertThat(card.getWidth()).isEqualTo(1920);
            assertThat(card.getHeight()).isEqualTo(1080);
            assertThat(decode(card, "the end card of " + bot)).isEqualTo("https://t.me/" + bot + "?start=" + c);
            try (var leaflet = Loader.loadPDF(out.resolve("leaflet-telegram-" + bot.replace("_", "-") + ".pdf").toFile())) {
                assertThat(new PDFTextStripper().getText(leaflet)).contains("@" + bot).contains("+380")
                        .contains(fingerprint().substring(0, 9));
            }
        }

        var listed = run("campaigns", "list");
        assertThat(listed).contains(name + "\tko\t2026-01-01..2099-12-31\tactive\t" + c);

        // both commands are in the access record, as the console's pages are: no operator, the campaign's id only
        var id = accessRecord("select subject_id from access_log where action = 'campaigns.create' and outcome = "
                + "'SUCCEEDED' and actor_id is null order by seq desc").getFirst();
        try (var context = new CommandContext(LifelineApplication.class)) {
            assertThat(context.bean(org.springframework.jdbc.core.simple.JdbcClient.class)
                    .sql("select name from campaign where id = ?").param(java.util.UUID.fromString(id))
                    .query(String.class).single()).isEqualTo(name);
        }
        assertThat(accessRecord("select action from access_log order by seq desc").subList(0, 1))
                .containsExactly("campaigns.read");
    }

    @Test
    void refusesALanguageWithoutFlows() throws Exception {
        var err = new StringWriter();
        int exit;
        try (var context = new CommandContext(LifelineApplication.class)) {
            exit = LifelineCommandLine.commandLine(context).setOut(new PrintWriter(new StringWriter()))
                    .setErr(new PrintWriter(err)).execute("campaigns", "create", "--name", "x" + System.nanoTime(),
                            "--language", "de", "--out", out.toString());
        }
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("language must be one of ru, ko, uk, en");
        assertThat(accessRecord("select action || ' ' || outcome || ' ' || coalesce(subject_id, '-') from access_log"
                + " order by seq desc").getFirst()).isEqualTo("campaigns.create REFUSED -");
        try (var files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aCreateWhoseMaterialFailsLeavesNoCampaignAndNoFiles() throws Exception {
        var name = "Korean leaflet " + System.nanoTime();
        var err = new StringWriter();
        // a service name no bundled font can print: the leaflet fails after the QR codes are written
        var exit = execute(Map.of("lifeline.service-name.ko", "생명선 🙂"), new StringWriter(), err,
                "campaigns", "create", "--name", name, "--language", "ko", "--out", out.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("U+1F642");
        assertThat(run("campaigns", "list")).doesNotContain(name);
        try (var files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
        run("campaigns", "create", "--name", name, "--language", "ko", "--out", out.toString());
        assertThat(run("campaigns", "list")).contains(name + "\tko\t");
    }

    private interface Reader {
        BufferedImage read(Path file) throws Exception;
    }

    /** Every file of this kind in the output, with what its QR code says. */
    private Map<Path, String> decodeAll(String extension, Reader reader) throws Exception {
        var decoded = new LinkedHashMap<Path, String>();
        List<Path> files;
        try (var listing = Files.list(out)) {
            files = listing.filter(f -> f.toString().endsWith("." + extension))
                    .filter(f -> !f.getFileName().toString().startsWith("end-card-")).sorted().toList();
        }
        for (var file : files) {
            decoded.put(file, decode(reader.read(file), file.getFileName().toString()));
        }
        return decoded;
    }

    /** What the code says; a code that cannot be read fails the test naming it (ZXing's exception names nothing). */
    private static String decode(BufferedImage image, String what) {
        try {
            return QrImages.decode(image).getText();
        } catch (Exception e) {
            throw new AssertionError("Cannot read the QR code in " + what, e);
        }
    }

    /** Light pixels from the top-left corner along the diagonal before the first dark one. */
    private static int quietZonePixels(BufferedImage image) {
        var n = 0;
        while (n < image.getWidth() && (image.getRGB(n, n) & 0xFFFFFF) == 0xFFFFFF) {
            n++;
        }
        return n;
    }

    /** The access record's column that the query reads, from the same database as the commands. */
    private static List<String> accessRecord(String query) {
        try (var context = new CommandContext(LifelineApplication.class)) {
            return context.bean(org.springframework.jdbc.core.simple.JdbcClient.class).sql(query)
                    .query(String.class).list();
        }
    }

    /** The fingerprint of the channel list's signing key, from the same data directory. */
    private static String fingerprint() {
        try (var context = new CommandContext(LifelineApplication.class)) {
            return context.bean(ChannelList.class).fingerprint();
        }
    }

    private static String run(String... args) {
        var output = new StringWriter();
        var exit = execute(Map.of(), output, new StringWriter(), args);
        assertThat(exit).as("exit of %s", List.of(args)).isZero();
        return output.toString();
    }

    /** Runs a command with the official channels configured, and these properties besides. */
    private static int execute(Map<String, String> extra, StringWriter output, StringWriter err, String... args) {
        var properties = new LinkedHashMap<String, String>();
        properties.put("lifeline.site.telegram-bots[0]", "@lifeline_campaign_bot");
        properties.put("lifeline.site.telegram-bots[1]", "lifeline_campaign2_bot");
        properties.put("lifeline.site.whatsapp[0]", "+380 44 000 00 01");
        properties.put("lifeline.site.chat-entry-points[0]", "https://chat.example.org/");
        properties.put("lifeline.site.chat-entry-points[1]", "https://live.example.net/lifeline");
        properties.put("lifeline.site.onion-address", ONION);
        properties.put("lifeline.site.phones[0]", "+380 44 000 00 00");
        properties.putAll(extra);
        var saved = new LinkedHashMap<String, String>();
        properties.forEach((key, value) -> saved.put(key, System.setProperty(key, value)));
        try (var context = new CommandContext(LifelineApplication.class)) {
            return LifelineCommandLine.commandLine(context).setOut(new PrintWriter(output)).setErr(new PrintWriter(err))
                    .execute(args);
        } finally {
            saved.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
        }
    }
}
