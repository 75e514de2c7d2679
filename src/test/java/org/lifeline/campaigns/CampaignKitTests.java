package org.lifeline.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.site.SiteSettings;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/** What {@code campaigns create --out} writes, and the hook that end cards and leaflets plug into. */
class CampaignKitTests {

    private static final SiteSettings SITE = new SiteSettings(List.of("+380 44 000 00 00"), List.of("+380 44 000 00 01"),
            List.of("@example_bot"), List.of(URI.create("https://mirror.example/")), null,
            List.of(URI.create("https://chat.example.org/")), null, java.time.Duration.ofDays(30));

    @TempDir
    Path out;

    @Test
    void writesAQrCodePerEntryPointThenHandsTheCampaignToEveryMaterial() throws Exception {
        var campaign = new Campaign(new CampaignId(UUID.randomUUID()), "Ab3dEf6hIj9k", "Korean video", "ko", null,
                Set.of("telegram", "webchat"), null, null, true, Instant.now());
        var handed = new ArrayList<List<EntryPoint>>();
        var beans = new DefaultListableBeanFactory();
        beans.registerSingleton("endCard", (CampaignMaterial) (c, entryPoints, directory, written) -> {
            handed.add(entryPoints);
            written.add(Files.writeString(directory.resolve(c.code() + "-end-card.txt"), c.language()));
        });
        var kit = new CampaignKit(new CampaignManagement(null, null, new EntryPoints(SITE), Clock.systemUTC()),
                beans.getBeanProvider(CampaignMaterial.class));

        var written = kit.write(campaign, out.resolve("new"));

        assertThat(written).extracting(file -> file.getFileName().toString()).containsExactly(
                "telegram-example-bot.png", "telegram-example-bot.svg", "web-chat-example-org.png",
                "web-chat-example-org.svg", "Ab3dEf6hIj9k-end-card.txt");
        assertThat(handed).singleElement().satisfies(entryPoints -> assertThat(entryPoints)
                .extracting(EntryPoint::link)
                .containsExactly("https://t.me/example_bot?start=Ab3dEf6hIj9k", "https://chat.example.org/ko/c/Ab3dEf6hIj9k"));
        assertThat(QrImages.decode(ImageIO.read(written.getFirst().toFile())).getText())
                .isEqualTo("https://t.me/example_bot?start=Ab3dEf6hIj9k");
    }

    @Test
    void neverReplacesNorRemovesAnotherCampaignsFilesAndAFailureLeavesNoneOfItsOwn() throws Exception {
        var beans = new DefaultListableBeanFactory();
        // a leaflet that cannot be printed for the second campaign, once its end card is written
        beans.registerSingleton("leaflet", (CampaignMaterial) (c, entryPoints, directory, written) -> {
            written.add(CampaignMaterial.writeNew(directory.resolve("end-card-" + c.code() + ".txt"),
                    c.name().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            if (c.name().equals("Beta")) {
                throw new IOException("No bundled font can print the character U+1F9E8");
            }
        });
        var kit = new CampaignKit(new CampaignManagement(null, null, new EntryPoints(SITE), Clock.systemUTC()),
                beans.getBeanProvider(CampaignMaterial.class));
        var alpha = kit.write(campaign("Alpha", "Ab3dEf6hIj9k"), out);
        var alphaFiles = new java.util.HashMap<Path, byte[]>();
        for (var file : alpha) {
            alphaFiles.put(file, Files.readAllBytes(file));
        }

        assertThatThrownBy(() -> kit.write(campaign("Beta", "Zy8xWv7uTs6r"), out)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> kit.write(campaign("Gamma", "Qp5oNm4lKj3i"), out))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class).hasMessageContaining("--out");

        try (var files = Files.list(out)) {
            assertThat(files).containsExactlyInAnyOrderElementsOf(alphaFiles.keySet());
        }
        alphaFiles.forEach((file, content) -> assertThat(file).as("Alpha's file").hasBinaryContent(content));
        var fresh = out.resolve("fresh");
        assertThatThrownBy(() -> kit.write(campaign("Beta", "Zy8xWv7uTs6r"), fresh)).isInstanceOf(IOException.class);
        try (var files = Files.list(fresh)) {
            assertThat(files).as("none of the failed campaign's files, its end card included").isEmpty();
        }
    }

    private static Campaign campaign(String name, String code) {
        return new Campaign(new CampaignId(UUID.randomUUID()), code, name, "ru", null, Set.of("telegram"), null, null,
                true, Instant.now());
    }

    @Test
    void staticMirrorsGetNoCampaignLinkAndEveryChannelIsOptional() {
        var all = new EntryPoints(SITE).of(new Campaign(new CampaignId(UUID.randomUUID()), "Ab3dEf6hIj9k", "Leaflets",
                "ru", null, Set.copyOf(Campaign.CHANNELS), null, null, true, Instant.now()));

        assertThat(all).extracting(EntryPoint::link).containsExactly(
                "https://t.me/example_bot?start=Ab3dEf6hIj9k",
                "https://wa.me/380440000001?text=%2Fstart%20Ab3dEf6hIj9k",
                "https://chat.example.org/ru/c/Ab3dEf6hIj9k",
                "tel:+380440000000");
        assertThat(all).extracting(EntryPoint::link).noneMatch(link -> link.contains("mirror.example"));
    }
}
