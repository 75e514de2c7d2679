package org.lifeline.console.web;

import org.springframework.stereotype.Component;

/**
 * What a requester wrote, as an operator must see it: characters that change how text displays without showing
 * themselves (bidirectional overrides and isolates such as U+202E, zero-width characters, other format and control
 * characters) are replaced by a visible marker such as {@code ⟨U+202E⟩}, so a message cannot pass for something it
 * is not. Pages also isolate each message's direction ({@code dir="auto"}). Templates call it as
 * {@code ${@visibleText.of(text)}}.
 */
@Component("visibleText")
public class VisibleText {

    public String of(String text) {
        return show(text);
    }

    static String show(String text) {
        if (text == null) {
            return null;
        }
        var shown = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (hidden(c)) {
                shown.append(String.format("⟨U+%04X⟩", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }

    /** Format (Cf: bidi controls, zero-width, tags), controls but line breaks and tabs, and line separators. */
    private static boolean hidden(int c) {
        if (c == '\n' || c == '\t') {
            return false;
        }
        var type = Character.getType(c);
        return type == Character.FORMAT || type == Character.CONTROL || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
