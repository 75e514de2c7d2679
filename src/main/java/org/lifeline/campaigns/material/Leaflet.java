package org.lifeline.campaigns.material;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The A5 leaflet: one page, everything centred, the QR code large (a module of about 2 mm survives a photocopy of
 * a photocopy), and at the bottom the fingerprint of the key that signs our channel list, to compare with the bot's
 * {@code /verify} answer. The fonts are embedded as subsets (only the glyphs used), so the page prints the same on
 * any machine, Hangul and Cyrillic included.
 */
final class Leaflet {

    private static final PDRectangle PAGE = PDRectangle.A5;
    private static final float MARGIN = 28;
    private static final float CODE_SIDE = 230;
    /** One millimetre: below this a module does not survive a bad photocopy. */
    static final float SMALLEST_MODULE = 72 / 25.4f;

    private Leaflet() {
    }

    static byte[] render(MaterialRequest request, MaterialTexts texts, Fonts fonts) {
        var code = QrCode.of(request.entryLink());
        if (CODE_SIDE / code.sizeWithQuietZone() < SMALLEST_MODULE) {
            throw new IllegalArgumentException("The link is too long for a QR code that survives a photocopy on A5: "
                    + "use a shorter link");
        }
        // checked as a print shop rasterises it, at 300 dots an inch
        code = code.readableAt(Math.round(CODE_SIDE / 72 * 300));
        try (var document = new PDDocument()) {
            var page = new PDPage(PAGE);
            document.addPage(page);
            try (var content = new PDPageContentStream(document, page)) {
                var canvas = new PageCanvas(document, content, fonts, new PDType0Font[fonts.count()]);
                new Column(fonts, canvas, true).draw(blocks(request, texts, code), MARGIN, MARGIN,
                        PAGE.getWidth() - 2 * MARGIN, PAGE.getHeight() - 2 * MARGIN);
            }
            var pdf = new ByteArrayOutputStream();
            document.save(pdf);
            return pdf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Column.Block> blocks(MaterialRequest request, MaterialTexts texts, QrCode code) {
        var blocks = new ArrayList<Column.Block>();
        blocks.add(new Column.Line(request.serviceName(), 28, 0));
        blocks.add(new Column.Code(code, CODE_SIDE, 4));
        if (request.phoneNumber() != null) {
            blocks.add(new Column.Line(texts.phoneLabel(), 11, 4));
            blocks.add(new Column.Line(request.phoneNumber(), 26, 0));
        }
        blocks.add(new Column.Line(texts.botLabel(), 11, 6));
        blocks.add(new Column.Line(request.botName(), 24, 0));
        blocks.add(new Column.Text(texts.instructions().get(0), 13, 12));
        blocks.add(new Column.Text(texts.instructions().get(1), 13, 5));
        blocks.add(new Column.Text(texts.instructions().get(2), 13, 5));
        blocks.add(new Column.Text(texts.fingerprintLabel(), 8.5f, 12));
        // in two even lines, as people compare it: group by group, half by half
        var groups = request.signingKeyFingerprint().strip().split(" +");
        int half = (groups.length + 1) / 2;
        blocks.add(new Column.Line(String.join(" ", Arrays.copyOfRange(groups, 0, half)), 13, 2));
        if (half < groups.length) {
            blocks.add(new Column.Line(String.join(" ", Arrays.copyOfRange(groups, half, groups.length)), 13, 0));
        }
        return blocks;
    }

    /** A PDF page, whose origin is at the bottom left. */
    private record PageCanvas(PDDocument document, PDPageContentStream content, Fonts fonts, PDType0Font[] loaded)
            implements Canvas {

        @Override
        public float width(Fonts.Run run, float size) {
            try {
                return font(run.font()).getStringWidth(run.text()) / 1000 * size;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void text(Fonts.Run run, float x, float baseline, float size) {
            try {
                content.beginText();
                content.setFont(font(run.font()), size);
                content.newLineAtOffset(x, PAGE.getHeight() - baseline);
                content.showText(run.text());
                content.endText();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void dark(float x, float y, float width, float height) {
            try {
                content.addRect(x, PAGE.getHeight() - y - height, width, height);
                content.fill();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Loaded on first use, so that a font the page does not use is not in it. */
        private PDType0Font font(int index) throws IOException {
            if (loaded[index] == null) {
                loaded[index] = PDType0Font.load(document, fonts.file(index), true);
            }
            return loaded[index];
        }
    }
}
