package org.lifeline.site;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.lifeline.platform.Language;
import org.lifeline.platform.Languages;

/**
 * A language the public pages are written in: every one of {@link Languages}, each with its
 * {@code site/messages_<code>.properties} (the same keys as the others). Adding one is adding files, no code.
 */
public record SiteLanguage(String code, String nativeName) {

    /** For visitors whose browser asks for none of ours. */
    public static final SiteLanguage FALLBACK = of("en");

    private static final List<SiteLanguage> ALL = Languages.all().stream().map(SiteLanguage::of).toList();

    private static SiteLanguage of(Language language) {
        return new SiteLanguage(language.code(), language.name());
    }

    /** In the order the language menus show them. */
    public static List<SiteLanguage> all() {
        return ALL;
    }

    /** A language there is; throws for one there is not. */
    public static SiteLanguage of(String code) {
        return fromCode(code).orElseThrow(() -> new IllegalArgumentException("No language " + code));
    }

    public Locale locale() {
        return Locale.forLanguageTag(code);
    }

    public static Optional<SiteLanguage> fromCode(String code) {
        return Languages.find(code).map(SiteLanguage::of);
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
            var tag = Locale.lookupTag(ranges, Languages.codes());
            return tag == null ? FALLBACK : fromCode(tag).orElse(FALLBACK);
        } catch (IllegalArgumentException malformed) {
            return FALLBACK;
        }
    }
}
