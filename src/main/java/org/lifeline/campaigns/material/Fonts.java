package org.lifeline.campaigns.material;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bundled fonts, in the order they are tried for each character: Noto Sans Bold (Latin, Cyrillic with the
 * Ukrainian letters), then NanumSquare Bold (Hangul). Both are glyf-based TrueType, which PDFBox can subset; bold,
 * because thin strokes are the first to vanish in a bad photocopy or a video compressed twice.
 */
final class Fonts {

    static final List<String> FILES = List.of("NotoSans-Bold.ttf", "NanumSquareB.ttf");
    private static final String DIRECTORY = "/campaigns/material/fonts/";

    private static volatile Fonts bundled;

    private final List<byte[]> files;
    private final List<Font> awt;

    private Fonts(List<byte[]> files) {
        this.files = files;
        this.awt = files.stream().map(Fonts::awtFont).toList();
    }

    static Fonts bundled() {
        if (bundled == null) {
            synchronized (Fonts.class) {
                if (bundled == null) {
                    bundled = new Fonts(FILES.stream().map(Fonts::read).toList());
                }
            }
        }
        return bundled;
    }

    /** One stretch of text that one font draws. */
    record Run(int font, String text) {
    }

    /**
     * Splits a text into runs, each character in the font of the run before it if that has a glyph for it, else in
     * the first font that has.
     *
     * @throws IllegalArgumentException when no bundled font has a character: printed, it would be an empty box
     */
    List<Run> runs(String text) {
        var runs = new ArrayList<Run>();
        var current = new StringBuilder();
        int currentFont = -1;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            // a character the current font has stays in its run: fewer font switches, one style per word
            int font = currentFont >= 0 && awt.get(currentFont).canDisplay(codePoint) ? currentFont : fontFor(codePoint);
            if (font != currentFont && !current.isEmpty()) {
                runs.add(new Run(currentFont, current.toString()));
                current.setLength(0);
            }
            currentFont = font;
            current.appendCodePoint(codePoint);
            i += Character.charCount(codePoint);
        }
        if (!current.isEmpty()) {
            runs.add(new Run(currentFont, current.toString()));
        }
        return runs;
    }

    private int fontFor(int codePoint) {
        for (int font = 0; font < awt.size(); font++) {
            if (awt.get(font).canDisplay(codePoint)) {
                return font;
            }
        }
        throw new IllegalArgumentException("No bundled font can print the character U+"
                + Integer.toHexString(codePoint).toUpperCase(java.util.Locale.ROOT));
    }

    Font awt(int font) {
        return awt.get(font);
    }

    InputStream file(int font) {
        return new ByteArrayInputStream(files.get(font));
    }

    int count() {
        return files.size();
    }

    private static byte[] read(String name) {
        try (var in = Fonts.class.getResourceAsStream(DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing bundled font " + DIRECTORY + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Font awtFont(byte[] file) {
        try {
            return Font.createFont(Font.TRUETYPE_FONT, new ByteArrayInputStream(file));
        } catch (FontFormatException | IOException e) {
            throw new IllegalStateException("A bundled font cannot be read", e);
        }
    }
}
