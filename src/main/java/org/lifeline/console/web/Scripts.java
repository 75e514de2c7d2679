package org.lifeline.console.web;

import java.util.Map;

/**
 * Guesses whether a reply is written in the script of the requester's language: enough to catch an operator about
 * to send Russian to a Korean soldier, not a language detector.
 */
final class Scripts {

    private static final Map<String, Character.UnicodeScript> BY_LANGUAGE = Map.of(
            "ko", Character.UnicodeScript.HANGUL,
            "ru", Character.UnicodeScript.CYRILLIC,
            "uk", Character.UnicodeScript.CYRILLIC,
            "be", Character.UnicodeScript.CYRILLIC,
            "en", Character.UnicodeScript.LATIN);

    private Scripts() {
    }

    /** True unless most letters of the text are in another script than the language's (unknown languages pass). */
    static boolean looksLike(String text, String language) {
        var expected = language == null ? null : BY_LANGUAGE.get(language);
        if (expected == null) {
            return true;
        }
        long letters = text.codePoints().filter(Character::isLetter).count();
        long matching = text.codePoints().filter(Character::isLetter)
                .filter(c -> Character.UnicodeScript.of(c) == expected).count();
        return letters == 0 || matching * 2 >= letters;
    }
}
