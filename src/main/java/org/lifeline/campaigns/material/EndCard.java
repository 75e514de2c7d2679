package org.lifeline.campaigns.material;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * The video end card: the QR code on the left at full height in whole-pixel modules (a module split across pixels
 * blurs at the first re-encoding), the service's name, the instructions, the phone number and the bot's name on the
 * right. Black on white: the highest contrast, and the polarity every QR reader expects.
 */
final class EndCard {

    static final int WIDTH = 1920;
    static final int HEIGHT = 1080;
    private static final int MARGIN = 80;
    /** Around the code, whose own quiet zone is white space enough. */
    private static final int CODE_MARGIN = 40;
    /** Below this, a card filmed off a screen or shrunk for a phone-sized video stops scanning. */
    static final int SMALLEST_MODULE = 12;

    private EndCard() {
    }

    static byte[] render(MaterialRequest request, MaterialTexts texts, Fonts fonts) {
        var code = QrCode.of(request.entryLink());
        int module = (HEIGHT - 2 * CODE_MARGIN) / code.sizeWithQuietZone();
        if (module < SMALLEST_MODULE) {
            throw new IllegalArgumentException("The link is too long for a QR code that scans off a screen: "
                    + module + "-pixel modules, at least " + SMALLEST_MODULE + " needed; use a shorter link");
        }
        code = code.readableAt(HEIGHT - 2 * CODE_MARGIN);
        var image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        var graphics = image.createGraphics();
        try {
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, WIDTH, HEIGHT);
            graphics.setColor(Color.BLACK);
            graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            graphics.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            var canvas = new ImageCanvas(graphics, fonts);
            int side = module * code.sizeWithQuietZone();
            code.draw(canvas, CODE_MARGIN, (HEIGHT - side) / 2f, module);
            int left = CODE_MARGIN + side + CODE_MARGIN;
            new Column(fonts, canvas, false).draw(blocks(request, texts), left, MARGIN, WIDTH - MARGIN - left, HEIGHT - 2 * MARGIN);
        } finally {
            graphics.dispose();
        }
        var png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    private static List<Column.Block> blocks(MaterialRequest request, MaterialTexts texts) {
        var blocks = new ArrayList<Column.Block>();
        blocks.add(new Column.Line(request.serviceName(), 96, 0));
        blocks.add(new Column.Text(texts.instructions().get(0), 46, 40));
        blocks.add(new Column.Text(texts.instructions().get(1), 46, 20));
        blocks.add(new Column.Text(texts.instructions().get(2), 46, 20));
        if (request.phoneNumber() != null) {
            blocks.add(new Column.Line(texts.phoneLabel(), 38, 48));
            blocks.add(new Column.Line(request.phoneNumber(), 104, 0));
        }
        blocks.add(new Column.Line(texts.botLabel(), 38, 32));
        blocks.add(new Column.Line(request.botName(), 92, 0));
        return blocks;
    }

    /** Java2D, with the same TrueType files the leaflet embeds. */
    private record ImageCanvas(Graphics2D graphics, Fonts fonts) implements Canvas {

        private static final FontRenderContext METRICS = new FontRenderContext(null, true, true);

        @Override
        public float width(Fonts.Run run, float size) {
            return (float) fonts.awt(run.font()).deriveFont(size).getStringBounds(run.text(), METRICS).getWidth();
        }

        @Override
        public void text(Fonts.Run run, float x, float baseline, float size) {
            graphics.setFont(fonts.awt(run.font()).deriveFont(size));
            graphics.drawString(run.text(), x, baseline);
        }

        @Override
        public void dark(float x, float y, float width, float height) {
            graphics.fillRect(Math.round(x), Math.round(y), Math.round(width), Math.round(height));
        }
    }
}
