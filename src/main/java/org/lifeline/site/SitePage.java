package org.lifeline.site;

import java.util.Arrays;
import java.util.Optional;

/** The public pages of each language, in the order of the section menu. */
public enum SitePage {

    HOME("", "home"),
    SURRENDER("surrender", "surrender"),
    CONTACT("contact", "contact"),
    SAFETY("safety", "safety"),
    FAKES("fakes", "fakes");

    private final String path;
    private final String name;

    SitePage(String path, String name) {
        this.path = path;
        this.name = name;
    }

    /** The page's path under {@code /{lang}/}; empty for the language's home page. */
    public String path() {
        return path;
    }

    /** The page's name in template names ({@code site/<name>}) and message keys ({@code nav.<name>}). */
    public String pageName() {
        return name;
    }

    public String template() {
        return "site/" + name;
    }

    public static Optional<SitePage> fromPath(String path) {
        return Arrays.stream(values()).filter(page -> page.path.equals(path)).findFirst();
    }
}
