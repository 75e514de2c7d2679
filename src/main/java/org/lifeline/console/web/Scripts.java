package org.lifeline.console.web;

import org.lifeline.platform.Language;
import org.lifeline.platform.Languages;

/**
 * Guesses whether a reply is written in the script of the requester's language: enough to catch an operator about
 * to send Russian to a Korean soldier, not a language detector. The script is the language's (see {@link Languages}).
 */
final class Scripts {

    private Scripts() {
    }

    /** True unless most letters of the text are in another script than the language's (unknown languages pass). */
    static boolean looksLike(String text, String language) {
        var expected = language == null ? null : Languages.find(language).map(Language::script).orElse(null);
        if (expected == null) {
            return true;
        }
        long letters = text.codePoints().filter(Character::isLetter).count();
        long matching = text.codePoints().filter(Character::isLetter)
                .filter(c -> Character.UnicodeScript.of(c) == expected).count();
        return letters == 0 || matching * 2 >= letters;
    }
}
