package org.lifeline.site;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A language the public pages are written in. Adding one means a constant here and a
 * {@code site/messages_<code>.properties} file with the same keys as the others.
 */
public enum SiteLanguage {

    RU("ru", "Русский"),
    UK("uk", "Українська"),
    EN("en", "English"),
    // The name North Koreans use for their language.
    KO("ko", "조선말");

    /** For visitors whose browser asks for none of ours. */
    public static final SiteLanguage FALLBACK = EN;

    private static final List<String> CODES = Arrays.stream(values()).map(SiteLanguage::code).toList();

    private final String code;
    private final String nativeName;

    SiteLanguage(String code, String nativeName) {
        this.code = code;
        this.nativeName = nativeName;
    }

    public String code() {
        return code;
    }

    public String nativeName() {
        return nativeName;
    }

    public Locale locale() {
        return Locale.forLanguageTag(code);
    }

    public static Optional<SiteLanguage> fromCode(String code) {
        return Arrays.stream(values()).filter(language -> language.code.equals(code)).findFirst();
    }

    /**
     * The best language for an {@code Accept-Language} header, by its quality values alone (a header that prefers
     * Ukrainian gets Ukrainian even from a Russian-speaking region); {@link #FALLBACK} when none matches or the
     * header is missing or malformed.
     */
    public static SiteLanguage negotiate(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return FALLBACK;
        }
        try {
            var ranges = Locale.LanguageRange.parse(acceptLanguage).stream()
                    .filter(range -> range.getWeight() > 0)
                    .toList();
            var tag = Locale.lookupTag(ranges, CODES);
            return tag == null ? FALLBACK : fromCode(tag).orElse(FALLBACK);
        } catch (IllegalArgumentException malformed) {
            return FALLBACK;
        }
    }
}
