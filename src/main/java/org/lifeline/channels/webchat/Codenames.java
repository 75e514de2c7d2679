package org.lifeline.channels.webchat;

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

import org.springframework.core.io.ClassPathResource;

/**
 * Codenames: {@value #WORDS} words drawn at random from a list of 2048 (55 bits), in the person's language where
 * there is a list ({@code webchat/codenames/<lang>.txt}: the BIP-39 Korean list for Korean), otherwise from the
 * neutral list (BIP-39 English, plain Latin letters anyone can copy). What people type back is normalised, so
 * case, spacing, punctuation and Unicode composition do not matter.
 */
final class Codenames {

    static final int WORDS = 5;
    static final int LIST_SIZE = 2048;
    static final String NEUTRAL = "neutral";
    private static final List<String> LANGUAGES = List.of("ko", NEUTRAL);
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\p{Punct}·]+");

    private final Map<String, List<String>> lists = new HashMap<>();
    private final SecureRandom random = new SecureRandom();

    Codenames() {
        for (var language : LANGUAGES) {
            var words = load(language);
            if (words.size() != LIST_SIZE || words.stream().distinct().count() != LIST_SIZE) {
                throw new IllegalStateException("webchat/codenames/" + language + ".txt must hold " + LIST_SIZE
                        + " distinct words");
            }
            lists.put(language, words);
        }
    }

    String generate(String language) {
        var words = lists.getOrDefault(language, lists.get(NEUTRAL));
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

    private static List<String> load(String language) {
        try {
            var text = new ClassPathResource("webchat/codenames/" + language + ".txt")
                    .getContentAsString(StandardCharsets.UTF_8);
            return text.lines().map(String::strip).filter(word -> !word.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
