package org.lifeline.webchat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.lifeline.site.SiteLanguage;
import org.springframework.core.io.ClassPathResource;

/**
 * Codenames: {@value #WORDS} words drawn at random from a list of 2048 (55 bits) in the page's language
 * ({@code webchat/codenames/<lang>.txt}, one for every site language). The lists are everyday words (food, nature,
 * household things, animals, colours) chosen to be harmless if a codename written on paper is found: nothing
 * political, military, criminal or vulgar, and Korean in the North Korean norm (checked by RequesterTextsTests). What
 * people type back is normalised, so case, spacing, punctuation and Unicode composition do not matter.
 */
final class Codenames {

    static final int WORDS = 5;
    static final int LIST_SIZE = 2048;
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\p{Punct}·]+");

    private final Map<String, List<String>> lists = new HashMap<>();
    private final SecureRandom random = new SecureRandom();

    Codenames() {
        for (var language : SiteLanguage.all()) {
            lists.put(language.code(), load(language.code()));
        }
    }

    String generate(String language) {
        var words = lists.getOrDefault(language, lists.get(SiteLanguage.FALLBACK.code()));
        var picked = new ArrayList<String>(WORDS);
        for (int i = 0; i < WORDS; i++) {
            picked.add(words.get(random.nextInt(words.size())));
        }
        return String.join(" ", picked);
    }

    /** The canonical form of a typed codename: NFC, lower case, single spaces; empty when nothing was typed. */
    static String normalise(String typed) {
        if (typed == null) {
            return "";
        }
        var composed = Normalizer.normalize(typed, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        return String.join(" ", SEPARATORS.splitAsStream(composed).filter(word -> !word.isEmpty()).toList());
    }

    private static List<String> load(String list) {
        try {
            var words = resource(list).getContentAsString(StandardCharsets.UTF_8)
                    .lines().map(String::strip).filter(word -> !word.isEmpty()).toList();
            if (words.size() != LIST_SIZE || words.stream().distinct().count() != LIST_SIZE) {
                throw new IllegalStateException("webchat/codenames/" + list + ".txt must hold " + LIST_SIZE
                        + " distinct words");
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ClassPathResource resource(String list) {
        return new ClassPathResource("webchat/codenames/" + list + ".txt");
    }
}
