package org.lifeline.campaigns.material;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The end card and the leaflet as a phone would scan them, off a screen and off a bad copy, and as a printer would
 * get them: every QR code decodes to exactly the link, also shrunk to a third and blurred; the PDF carries its fonts
 * and its text; no character is drawn as an empty box. The Korean and Russian pieces are kept under
 * {@code target/test-artifacts/campaign-material/} for people to look at.
 */
class CampaignMaterialTests {

    static final Path ARTIFACTS = Path.of("target", "test-artifacts", "campaign-material");
    static final String FINGERPRINT = "3F2A 9C01 77DE 0B45 A1C3 5E6F 9021 84BD C0FE 1234 5678 9ABC DEF0 2468 ACE1 3579";

    static MaterialRequest request(String language) {
        return switch (language) {
            case "ko" -> new MaterialRequest("ko", "https://t.me/lifeline_example_bot?start=ko-video-2025-kursk",
                    "+380 44 350 89 17", "@lifeline_example_bot", "생명선", FINGERPRINT);
            case "ru" -> new MaterialRequest("ru", "https://live.example/ru/c/leaflet-belgorod-7",
                    "+380 44 350 89 17", "@lifeline_example_bot", "Линия жизни", FINGERPRINT);
            case "uk" -> new MaterialRequest("uk", "https://t.me/lifeline_example_bot?start=uk-post-3",
                    null, "@lifeline_example_bot", "Лінія життя", FINGERPRINT);
            default -> new MaterialRequest("en", "https://t.me/lifeline_example_bot?start=en-1",
                    "+380 44 350 89 17", "@lifeline_example_bot", "Lifeline", FINGERPRINT);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"ko", "ru", "uk", "en"})
    void theEndCardIsFullHdAndItsCodeDecodesToTheLinkAlsoAtAThirdAndBlurred(String language) throws Exception {
        var request = request(language);
        var png = CampaignMaterial.endCard(request);
        keep(language + "-end-card.png", png);

        var card = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(card.getWidth()).isEqualTo(1920);
        assertThat(card.getHeight()).isEqualTo(1080);
        assertThat(decode(card)).isEqualTo(request.entryLink());
        assertThat(decode(blurred(scaled(card, 1 / 3.0)))).as("filmed off a screen and shrunk").isEqualTo(request.entryLink());
        assertThat(darkShare(card, 1100, 0, 1920, 1080)).as("text drawn in the right half").isGreaterThan(0.03);
    }

    /**
     * Links whose code under ZXing's own choice of mask its reader did not find on a clean end card (two of 300
     * random campaign codes; a campaign test failed on one such in CI): the card draws them under a mask it reads.
     */
    @ParameterizedTest
    @ValueSource(strings = {"HwePIQxtqKNe", "DY0R7fXywCXT"})
    void anEndCardCodeThatTheReaderWouldMissIsDrawnUnderAMaskItReads(String campaignCode) throws Exception {
        var link = "https://t.me/lifeline_campaign_bot?start=" + campaignCode;
        var request = new MaterialRequest("ko", link, "+380 44 000 00 00", "@lifeline_campaign_bot", "생명선", FINGERPRINT);

        var card = ImageIO.read(new ByteArrayInputStream(CampaignMaterial.endCard(request)));
        assertThat(decode(card)).isEqualTo(link);
        assertThat(new QRCodeReader().decode(bitmap(card)).getText()).as("a quick scan").isEqualTo(link);
        assertThat(decode(blurred(scaled(card, 1 / 3.0)))).isEqualTo(link);
        try (var leaflet = Loader.loadPDF(CampaignMaterial.leaflet(request))) {
            assertThat(decode(new PDFRenderer(leaflet).renderImageWithDPI(0, 300, ImageType.RGB))).isEqualTo(link);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ko", "ru", "uk", "en"})
    void theLeafletIsA5AndItsCodeDecodesToTheLinkAlsoAtAThirdAndBlurred(String language) throws Exception {
        var request = request(language);
        var pdf = CampaignMaterial.leaflet(request);
        keep(language + "-leaflet.pdf", pdf);

        try (var document = Loader.loadPDF(pdf)) {
            assertThat(document.getNumberOfPages()).isEqualTo(1);
            var box = document.getPage(0).getMediaBox();
            assertThat(box.getWidth()).isEqualTo(PDRectangle.A5.getWidth());
            assertThat(box.getHeight()).isEqualTo(PDRectangle.A5.getHeight());
            var page = new PDFRenderer(document).renderImageWithDPI(0, 300, ImageType.RGB);
            if (language.equals("ko") || language.equals("ru")) {
                keep(language + "-leaflet.png", png(page));
            }
            assertThat(decode(page)).isEqualTo(request.entryLink());
            assertThat(decode(blurred(scaled(page, 1 / 3.0)))).as("a bad copy, scanned coarsely").isEqualTo(request.entryLink());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ko", "ru", "uk", "en"})
    void theLeafletEmbedsEveryFontAsASubsetAndItsTextExtracts(String language) throws Exception {
        var request = request(language);
        var texts = MaterialTexts.of(request);
        try (var document = Loader.loadPDF(CampaignMaterial.leaflet(request))) {
            var resources = document.getPage(0).getResources();
            var fonts = new ArrayList<String>();
            for (var name : resources.getFontNames()) {
                var font = resources.getFont(name);
                fonts.add(font.getName());
                assertThat(font.isEmbedded()).as(font.getName()).isTrue();
                assertThat(font).isInstanceOf(PDType0Font.class);
                assertThat(((PDType0Font) font).getDescendantFont().getFontDescriptor().getFontFile2())
                        .as("TrueType outlines embedded").isNotNull();
            }
            assertThat(fonts).isNotEmpty().allMatch(name -> name.matches("[A-Z]{6}\\+.+"), "subsets");
            if (language.equals("ko")) {
                assertThat(fonts).anyMatch(name -> name.contains("NanumSquare"));
            }

            var text = squeezed(new PDFTextStripper().getText(document));
            var expected = new ArrayList<>(texts.instructions());
            expected.addAll(List.of(request.serviceName(), request.botName(), texts.fingerprintLabel(),
                    request.signingKeyFingerprint()));
            if (request.phoneNumber() != null) {
                expected.add(request.phoneNumber());
            }
            assertThat(expected).allSatisfy(line -> assertThat(text).contains(squeezed(line)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ko", "ru", "uk", "en"})
    void everyCharacterIsDrawnWithARealGlyph(String language) {
        var request = request(language);
        var texts = MaterialTexts.of(request);
        var fonts = Fonts.bundled();
        var all = new ArrayList<>(texts.instructions());
        all.addAll(List.of(texts.phoneLabel(), texts.botLabel(), texts.fingerprintLabel(), request.serviceName(),
                request.botName(), request.signingKeyFingerprint()));
        var context = new FontRenderContext(null, true, true);
        for (var text : all) {
            var runs = fonts.runs(text);
            assertThat(String.join("", runs.stream().map(Fonts.Run::text).toList())).isEqualTo(text);
            for (var run : runs) {
                var font = fonts.awt(run.font());
                assertThat(font.canDisplayUpTo(run.text())).as("%s in %s", run.text(), font.getFontName()).isEqualTo(-1);
                var glyphs = font.createGlyphVector(context, run.text());
                for (int i = 0; i < glyphs.getNumGlyphs(); i++) {
                    assertThat(glyphs.getGlyphCode(i)).as("not the missing glyph in %s", run.text())
                            .isNotEqualTo(font.getMissingGlyphCode());
                }
            }
        }
        if (language.equals("ko")) {
            assertThat(fonts.runs(texts.instructions().getFirst())).extracting(run -> fonts.awt(run.font()).getFamily())
                    .anyMatch(family -> family.startsWith("NanumSquare"));
        }
    }

    @Test
    void everyLanguageHasTheSameTextsAndFillsInTheBot() throws IOException {
        var keys = new java.util.TreeSet<String>();
        for (var language : List.of("ko", "ru", "uk", "en")) {
            var properties = new java.util.Properties();
            try (var in = getClass().getResourceAsStream("/campaigns/material/messages_" + language + ".properties")) {
                properties.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            }
            if (keys.isEmpty()) {
                keys.addAll(properties.stringPropertyNames());
            }
            assertThat(properties.stringPropertyNames()).as(language).isEqualTo(keys);
            var texts = MaterialTexts.of(request(language));
            assertThat(texts.instructions()).hasSize(3).noneMatch(String::isBlank);
            assertThat(texts.instructions().getFirst()).as(language).contains("@lifeline_example_bot").doesNotContain("{");
        }
    }

    @Test
    void refusesWhatCannotBePrintedWell() {
        var korean = request("ko");
        assertThatIllegalArgumentException().isThrownBy(() -> CampaignMaterial.leaflet(new MaterialRequest("de",
                korean.entryLink(), null, korean.botName(), "Lifeline", FINGERPRINT))).withMessageContaining("'de'");
        assertThatIllegalArgumentException().isThrownBy(() -> CampaignMaterial.endCard(new MaterialRequest("ko",
                korean.entryLink(), null, "@bot 🙂", "생명선", FINGERPRINT))).withMessageContaining("U+1F642");
        var tooLong = "https://live.example/ko/c/" + "x".repeat(600);
        assertThatIllegalArgumentException().isThrownBy(() -> CampaignMaterial.endCard(new MaterialRequest("ko",
                tooLong, null, korean.botName(), "생명선", FINGERPRINT))).withMessageContaining("too long");
        assertThatIllegalArgumentException().isThrownBy(() -> CampaignMaterial.leaflet(new MaterialRequest("ko",
                tooLong, null, korean.botName(), "생명선", FINGERPRINT))).withMessageContaining("too long");
    }

    @Test
    void theCodeHasErrorCorrectionHAndAQuietZoneOfFourModules() throws Exception {
        var link = request("ru").entryLink();
        var code = QrCode.of(link);
        assertThat(code.readableAt(1000)).as("readable under the mask ZXing chose").isSameAs(code);
        assertThat(QrCode.QUIET_ZONE).isGreaterThanOrEqualTo(4);
        var encoded = com.google.zxing.qrcode.encoder.Encoder.encode(link,
                com.google.zxing.qrcode.decoder.ErrorCorrectionLevel.H, Map.of());
        assertThat(code.size()).isEqualTo(encoded.getMatrix().getWidth());

        var module = 10;
        var image = new BufferedImage(code.sizeWithQuietZone() * module, code.sizeWithQuietZone() * module,
                BufferedImage.TYPE_INT_RGB);
        var graphics = image.createGraphics();
        graphics.setColor(java.awt.Color.WHITE);
        graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
        graphics.setColor(java.awt.Color.BLACK);
        code.draw(new Canvas() {
            @Override
            public float width(Fonts.Run run, float size) {
                return 0;
            }

            @Override
            public void text(Fonts.Run run, float x, float baseline, float size) {
            }

            @Override
            public void dark(float x, float y, float width, float height) {
                graphics.fillRect((int) x, (int) y, (int) width, (int) height);
            }
        }, 0, 0, module);
        graphics.dispose();
        var quiet = QrCode.QUIET_ZONE * module;
        assertThat(darkShare(image, 0, 0, image.getWidth(), quiet)).as("top quiet zone").isZero();
        assertThat(darkShare(image, 0, 0, quiet, image.getHeight())).as("left quiet zone").isZero();
        assertThat(darkShare(image, image.getWidth() - quiet, 0, image.getWidth(), image.getHeight())).isZero();
        assertThat(darkShare(image, 0, image.getHeight() - quiet, image.getWidth(), image.getHeight())).isZero();
        var result = new QRCodeReader().decode(bitmap(image), Map.of(DecodeHintType.PURE_BARCODE, true));
        assertThat(result.getText()).isEqualTo(link);
        assertThat(result.getResultMetadata().get(com.google.zxing.ResultMetadataType.ERROR_CORRECTION_LEVEL)).isEqualTo("H");
    }

    private static String decode(BufferedImage image) throws ReaderException {
        return new QRCodeReader().decode(bitmap(image), Map.of(DecodeHintType.TRY_HARDER, true)).getText();
    }

    private static BinaryBitmap bitmap(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        var pixels = image.getRGB(0, 0, width, height, null, 0, width);
        return new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(width, height, pixels)));
    }

    private static BufferedImage scaled(BufferedImage image, double factor) {
        var out = new BufferedImage((int) Math.round(image.getWidth() * factor), (int) Math.round(image.getHeight() * factor),
                BufferedImage.TYPE_INT_RGB);
        var graphics = out.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        graphics.drawImage(image, 0, 0, out.getWidth(), out.getHeight(), null);
        graphics.dispose();
        return out;
    }

    private static BufferedImage blurred(BufferedImage image) {
        var kernel = new float[9];
        Arrays.fill(kernel, 1 / 9f);
        return new ConvolveOp(new Kernel(3, 3, kernel), ConvolveOp.EDGE_NO_OP, null).filter(image, null);
    }

    private static double darkShare(BufferedImage image, int x0, int y0, int x1, int y1) {
        long dark = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3 < 128) {
                    dark++;
                }
            }
        }
        return (double) dark / ((long) (x1 - x0) * (y1 - y0));
    }

    private static String squeezed(String text) {
        return text.replaceAll("\\s+", "");
    }

    private static byte[] png(BufferedImage image) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static void keep(String name, byte[] bytes) throws IOException {
        Files.createDirectories(ARTIFACTS);
        Files.write(ARTIFACTS.resolve(name), bytes);
    }
}
