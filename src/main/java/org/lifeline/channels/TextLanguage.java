package org.lifeline.channels;

/**
 * The language a requester's text is written in, as far as its letters tell. Channels that say nothing of a
 * sender's language (WhatsApp, SMS: a soldier's SIM card says nothing either) let a new contact's first message
 * decide it.
 */
public final class TextLanguage {

    private TextLanguage() {
    }

    /**
     * Hangul is Korean, the letters only Ukrainian has (і ї є ґ) make Ukrainian, other Cyrillic Russian; anything
     * else (Latin, digits, emoji, nothing) gives {@code fallback}.
     */
    public static String of(String text, String fallback) {
        if (text == null) {
            return fallback;
        }
        var cyrillic = false;
        for (int i = 0; i < text.length(); i++) {
            var c = text.charAt(i);
            if ((c >= '\uAC00' && c <= '\uD7A3') || (c >= '\u1100' && c <= '\u11FF') || (c >= '\u3130' && c <= '\u318F')) {
                return "ko";
            }
            if ("іїєґІЇЄҐ".indexOf(c) >= 0) {
                return "uk";
            }
            if (c >= '\u0400' && c <= '\u04FF') {
                cyrillic = true;
            }
        }
        return cyrillic ? "ru" : fallback;
    }
}
