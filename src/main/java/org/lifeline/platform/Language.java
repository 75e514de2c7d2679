package org.lifeline.platform;

import java.util.Locale;

/**
 * A language requesters are served in, as its file {@code languages/<code>.properties} describes it.
 *
 * @param code   the ISO 639 code, as in the names of its text files
 * @param name   its name in itself, for language menus
 * @param order  its place in language menus (most requesters' language first)
 * @param script the script it is written in, to notice a reply in another one
 */
public record Language(String code, String name, int order, Character.UnicodeScript script) {

    public Locale locale() {
        return Locale.forLanguageTag(code);
    }
}
