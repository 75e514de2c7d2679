package org.lifeline.flows.engine;

import java.util.Locale;

/** What a requester can ask for at any point: as a slash command or a keyword from the translation files. */
public enum Command {
    LANGUAGE, HUMAN, RESTART, DELETE, BACK,
    /** The official channels from the signed list, and how to check them: changes nothing in the conversation. */
    VERIFY;

    /** The slash form, {@code /language}. */
    public String slash() {
        return "/" + name().toLowerCase(Locale.ROOT);
    }

    /** The translation key holding this command's keywords, comma-separated. */
    String keywordsKey() {
        return "command." + name().toLowerCase(Locale.ROOT);
    }
}
