package org.lifeline.cases;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Short references a requester can read out or type, such as {@code K7M-4QX}: six characters from an alphabet
 * without look-alikes (no 0/O, 1/I/L), about 887 million possibilities, random so that they reveal nothing about
 * how many cases exist.
 */
@Component
class CaseReferences {

    static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    private static final int LENGTH = 6;

    private final SecureRandom random = new SecureRandom();

    String next() {
        var chars = new StringBuilder(LENGTH + 1);
        for (int i = 0; i < LENGTH; i++) {
            if (i == LENGTH / 2) {
                chars.append('-');
            }
            chars.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return chars.toString();
    }

    /**
     * Cyrillic letters that look like Latin ones in the alphabet, and what they stand for: someone reading the
     * reference off paper, or on a Cyrillic keyboard, types these (the texts ask for Latin letters, but still).
     */
    private static final String CYRILLIC = "АВСЕНКМРТХУЗ";
    private static final String LATIN = "ABCEHKMPTXY3";

    /** The reference as stored, from what someone typed ({@code k7m 4qx}, {@code К7М-4QХ}); empty if it cannot be one. */
    static Optional<String> normalize(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        var upper = typed.toUpperCase(Locale.ROOT).replaceAll("[\\s\u2010-\u2015-]", "");
        var chars = new StringBuilder(upper.length());
        upper.chars().forEach(c -> {
            int cyrillic = CYRILLIC.indexOf(c);
            chars.append(cyrillic >= 0 ? LATIN.charAt(cyrillic) : (char) c);
        });
        if (chars.length() != LENGTH || !chars.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            return Optional.empty();
        }
        return Optional.of(chars.substring(0, LENGTH / 2) + "-" + chars.substring(LENGTH / 2));
    }
}
