package org.lifeline.campaigns.material;

import java.util.ArrayList;
import java.util.List;

/**
 * A column of blocks laid out top to bottom within a box: text wrapped at spaces (and inside a word only when the
 * word alone is too wide), a line that must stay whole shrunk to fit, and a QR code. When everything does not fit
 * the box, the text shrinks step by step, never below {@link #SMALLEST}; the QR code keeps its size.
 */
final class Column {

    /** The smallest share of its intended size any text may shrink to before the layout gives up. */
    static final float SMALLEST = 0.6f;
    private static final float LINE_HEIGHT = 1.3f;
    /** Baseline below a line's top, as a share of the size: room for the tallest Latin, Cyrillic and Hangul glyphs. */
    private static final float ASCENT = 1.0f;

    sealed interface Block {
        float gapBefore();
    }

    /** Text wrapped to the column's width. */
    record Text(String text, float size, float gapBefore) implements Block {
    }

    /** One line that must not break (a phone number, a bot's name): shrunk to the column's width if need be. */
    record Line(String text, float size, float gapBefore) implements Block {
    }

    /** A QR code of this side, quiet zone included. */
    record Code(QrCode code, float side, float gapBefore) implements Block {
    }

    private final Fonts fonts;
    private final Canvas canvas;
    private final boolean centred;

    Column(Fonts fonts, Canvas canvas, boolean centred) {
        this.fonts = fonts;
        this.canvas = canvas;
        this.centred = centred;
    }

    /** Draws the blocks in the box, starting at its top. */
    void draw(List<Block> blocks, float x, float y, float width, float height) {
        for (float scale = 1f; scale >= SMALLEST - 0.001f; scale -= 0.05f) {
            if (height(blocks, width, scale) <= height) {
                place(blocks, x, y, width, scale);
                return;
            }
        }
        throw new IllegalArgumentException("The material's texts do not fit even at " + Math.round(SMALLEST * 100)
                + "% of their size: shorten them");
    }

    private float height(List<Block> blocks, float width, float scale) {
        float total = 0;
        for (var block : blocks) {
            total += block.gapBefore() * scale + switch (block) {
                case Text text -> wrap(text.text(), text.size() * scale, width).size() * text.size() * scale * LINE_HEIGHT;
                case Line line -> fit(line.text(), line.size() * scale, width) * LINE_HEIGHT;
                case Code code -> code.side();
            };
        }
        return total;
    }

    private void place(List<Block> blocks, float x, float y, float width, float scale) {
        float top = y;
        for (var block : blocks) {
            top += block.gapBefore() * scale;
            switch (block) {
                case Text text -> {
                    float size = text.size() * scale;
                    for (var line : wrap(text.text(), size, width)) {
                        line(line, x, top, width, size);
                        top += size * LINE_HEIGHT;
                    }
                }
                case Line line -> {
                    float size = fit(line.text(), line.size() * scale, width);
                    line(line.text(), x, top, width, size);
                    top += size * LINE_HEIGHT;
                }
                case Code code -> {
                    float module = code.side() / code.code().sizeWithQuietZone();
                    code.code().draw(canvas, centred ? x + (width - code.side()) / 2 : x, top, module);
                    top += code.side();
                }
            }
        }
    }

    private void line(String text, float x, float top, float width, float size) {
        float left = centred ? x + (width - width(text, size)) / 2 : x;
        for (var run : fonts.runs(text)) {
            canvas.text(run, left, top + size * ASCENT, size);
            left += canvas.width(run, size);
        }
    }

    float width(String text, float size) {
        float width = 0;
        for (var run : fonts.runs(text)) {
            width += canvas.width(run, size);
        }
        return width;
    }

    /** The size at which the text fits the width on one line: its own, or smaller. */
    private float fit(String text, float size, float width) {
        float natural = width(text, size);
        return natural <= width ? size : size * width / natural;
    }

    /** Lines of at most the width, broken at spaces; a word wider than a line is broken between characters. */
    List<String> wrap(String text, float size, float width) {
        var lines = new ArrayList<String>();
        var line = new StringBuilder();
        for (var word : text.strip().split(" +")) {
            var candidate = line.isEmpty() ? word : line + " " + word;
            if (width(candidate, size) <= width) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (!line.isEmpty()) {
                lines.add(line.toString());
                line.setLength(0);
            }
            var rest = word;
            while (width(rest, size) > width && rest.length() > 1) {
                int end = rest.length() - 1;
                while (end > 1 && width(rest.substring(0, end), size) > width) {
                    end--;
                }
                lines.add(rest.substring(0, end));
                rest = rest.substring(end);
            }
            line.append(rest);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
