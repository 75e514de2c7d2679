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

import org.lifeline.platform.Languages;
import org.lifeline.platform.ServiceName;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Replies written once per language in {@code console/replies/replies_<lang>.properties} (UTF-8), chosen by key, so
 * an operator who reads only Ukrainian or English can still say the right thing in Korean. The English file names the
 * keys; the operator sees each reply in his own language; placeholders such as {@code {time}}, {@code {place}} and {@code {grid}} are filled in
 * from the form. Every one of {@link Languages} has its file: a new language is a new file.
 */
@Component
class CannedReplies {

    static final List<String> PLACEHOLDERS = List.of("time", "place", "grid");
    /** Filled with the service's configured name in the reply's language, never typed by the operator. */
    static final String SERVICE_NAME = "service_name";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    /** One canned reply as the operator chooses it: its key and its text. */
    record Choice(String key, String text) {
    }

    private final Map<String, Properties> byLanguage = new TreeMap<>();
    private final List<Choice> choices = new ArrayList<>();

    private final ServiceName serviceName;

    CannedReplies(ServiceName serviceName) {
        this.serviceName = serviceName;
        Languages.codes().forEach(language -> byLanguage.put(language, load(language)));
        var english = byLanguage.get("en");
        english.stringPropertyNames().stream().sorted().forEach(key -> {
            for (var language : byLanguage.keySet()) {
                if (byLanguage.get(language).getProperty(key) == null) {
                    throw new IllegalStateException("Canned reply " + key + " is missing in " + language);
                }
            }
            choices.add(new Choice(key, english.getProperty(key)));
        });
    }

    /**
     * The replies as an operator chooses them: each one's meaning in his own language (its text in that language,
     * the service name filled in, the form's placeholders still showing), English when there is no such file.
     */
    List<Choice> choices(String operatorLanguage) {
        return choices.stream().map(choice -> new Choice(choice.key(), render(choice.key(), operatorLanguage, Map.of())))
                .toList();
    }

    /** Whether there is a canned reply by this key (a request may name any). */
    boolean knows(String key) {
        return choices.stream().anyMatch(choice -> choice.key().equals(key));
    }

    /** Whether the requester's language has its own canned replies; if not, they go out in English. */
    static boolean supports(String language) {
        return language != null && Languages.find(language).isPresent();
    }

    /** The reply in the language, placeholders filled in; an empty value leaves the placeholder visibly unfilled. */
    String render(String key, String language, Map<String, String> values) {
        var replyLanguage = supports(language) ? language : "en";
        var text = byLanguage.get(replyLanguage).getProperty(key);
        if (text == null) {
            throw new IllegalArgumentException("No canned reply " + key);
        }
        return PLACEHOLDER.matcher(text).replaceAll(match -> {
            var value = match.group(1).equals(SERVICE_NAME) ? serviceName.in(replyLanguage) : values.get(match.group(1));
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
