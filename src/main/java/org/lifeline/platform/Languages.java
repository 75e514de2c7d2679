package org.lifeline.platform;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The languages requesters are served in: one file {@code languages/<code>.properties} on the class path each
 * ({@code name}, {@code order}, {@code script}; see {@link Language}). Adding a language is adding that file and its
 * texts (flows, site, web chat, canned replies), no code. Plain Java, read once, for the flow engine too.
 */
public final class Languages {

    /** Where the language files are, in every class path root (the first root with a code wins). */
    public static final String FOLDER = "languages";

    private static final Pattern CODE = Pattern.compile("[a-z]{2,3}");
    private static final List<Language> INSTALLED = load(Languages.class.getClassLoader());

    private Languages() {
    }

    /** Every language, in menu order. */
    public static List<Language> all() {
        return INSTALLED;
    }

    public static List<String> codes() {
        return INSTALLED.stream().map(Language::code).toList();
    }

    public static Optional<Language> find(String code) {
        return INSTALLED.stream().filter(language -> language.code().equals(code)).findFirst();
    }

    static List<Language> load(ClassLoader loader) {
        var found = new LinkedHashMap<String, Language>();
        try {
            for (var url : Collections.list(loader.getResources(FOLDER))) {
                ClasspathFiles.read(url, FOLDER, FOLDER, ".properties").forEach((file, text) -> {
                    var code = file.substring(0, file.length() - ".properties".length());
                    found.putIfAbsent(code, parse(code, file, text));
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the " + FOLDER + " on the class path", e);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("No " + FOLDER + "/<code>.properties on the class path");
        }
        return found.values().stream().sorted(Comparator.comparingInt(Language::order).thenComparing(Language::code))
                .toList();
    }

    private static Language parse(String code, String file, String text) {
        if (!CODE.matcher(code).matches()) {
            throw new IllegalStateException(FOLDER + "/" + file + ": the name must be a two- or three-letter code");
        }
        var properties = new Properties();
        try {
            properties.load(new StringReader(text));
            return new Language(code, required(properties, "name", file), Integer.parseInt(required(properties, "order", file)),
                    Character.UnicodeScript.valueOf(required(properties, "script", file).toUpperCase(Locale.ROOT)));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(FOLDER + "/" + file + ": " + e.getMessage(), e);
        }
    }

    private static String required(Properties properties, String key, String file) {
        var value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(FOLDER + "/" + file + ": no " + key);
        }
        return value.strip();
    }
}
