package org.lifeline.console.web;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Replies written once per language in {@code console/replies/replies_<lang>.properties} (UTF-8), chosen by key, so
 * an operator who reads only English can still say the right thing in Korean. The English file names the keys and
 * is what the operator sees; placeholders such as {@code {time}}, {@code {place}} and {@code {grid}} are filled in
 * from the form. A new language is a new file.
 */
@Component
class CannedReplies {

    static final List<String> LANGUAGES = List.of("en", "ru", "uk", "ko");
    static final List<String> PLACEHOLDERS = List.of("time", "place", "grid");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");

    /** One canned reply as the operator chooses it: its key and the English text. */
    record Choice(String key, String text) {
    }

    private final Map<String, Properties> byLanguage = new TreeMap<>();
    private final List<Choice> choices = new ArrayList<>();

    CannedReplies() {
        LANGUAGES.forEach(language -> byLanguage.put(language, load(language)));
        var english = byLanguage.get("en");
        english.stringPropertyNames().stream().sorted().forEach(key -> {
            for (var language : LANGUAGES) {
                if (byLanguage.get(language).getProperty(key) == null) {
                    throw new IllegalStateException("Canned reply " + key + " is missing in " + language);
                }
            }
            choices.add(new Choice(key, english.getProperty(key)));
        });
    }

    List<Choice> choices() {
        return choices;
    }

    /** Whether the requester's language has its own canned replies; if not, they go out in English. */
    static boolean supports(String language) {
        return language != null && LANGUAGES.contains(language);
    }

    /** The reply in the language, placeholders filled in; an empty value leaves the placeholder visibly unfilled. */
    String render(String key, String language, Map<String, String> values) {
        var text = byLanguage.get(supports(language) ? language : "en").getProperty(key);
        if (text == null) {
            throw new IllegalArgumentException("No canned reply " + key);
        }
        return PLACEHOLDER.matcher(text).replaceAll(match -> {
            var value = values.get(match.group(1));
            return Matcher.quoteReplacement(value == null || value.isBlank() ? match.group() : value.strip());
        });
    }

    private static Properties load(String language) {
        var properties = new Properties();
        try (var in = new InputStreamReader(new ClassPathResource("console/replies/replies_" + language
                + ".properties").getInputStream(), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
