package org.lifeline.operators;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One-time codes for signing in without the phone. Each has 80 random bits, so a fast hash stored in the database
 * cannot be reversed by trying, even by an adversary with a lot of hardware.
 */
final class RecoveryCodes {

    static final int COUNT = 10;
    /** 32 symbols (5 bits each) without the easily confused l, o, 0 and 1. */
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
    private static final int LENGTH = 16;
    private static final Pattern CODE = Pattern.compile("[" + ALPHABET + "]{" + LENGTH + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RecoveryCodes() {
    }

    /** New codes, grouped by four for reading and typing: {@code abcd-efgh-jkmn-pqrs}. */
    static List<String> generate() {
        var codes = new ArrayList<String>(COUNT);
        for (var i = 0; i < COUNT; i++) {
            var code = new StringBuilder();
            for (var j = 0; j < LENGTH; j++) {
                if (j > 0 && j % 4 == 0) {
                    code.append('-');
                }
                code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            codes.add(code.toString());
        }
        return List.copyOf(codes);
    }

    /** Case, blanks and dashes do not matter when a code is typed in. */
    static String normalize(String input) {
        return input.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT);
    }

    static boolean looksLikeCode(String input) {
        return CODE.matcher(normalize(input)).matches();
    }

    static String hash(String code) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(normalize(code).getBytes(US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
