package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks every text a requester reads (flows, site, web chat, canned replies, campaign material, codename lists, and
 * the words held in Java code and templates: phone prompts, SMS and WhatsApp additions, error pages) against lists
 * kept in {@code src/test/resources/texts/}: Korean in the North Korean norm, no denied word in any language, and the
 * service named only by its configured name.
 */
class RequesterTextsTests {

    private static final Path MAIN = Path.of("src/main/resources");
    private static final Path JAVA = Path.of("src/main/java");
    /**
     * How text held in code and templates is told apart by language: by its letters. Cyrillic counts for both
     * Russian and Ukrainian; English cannot be told from code, so code and templates add nothing to it.
     */
    private static final Map<String, Pattern> SCRIPTS = Map.of(
            "ko", Pattern.compile("\\p{IsHangul}"),
            "ru", Pattern.compile("\\p{IsCyrillic}"),
            "uk", Pattern.compile("\\p{IsCyrillic}"));
    private static final Pattern UNICODE_ESCAPE = Pattern.compile("(?<!\\\\)\\\\u+([0-9a-fA-F]{4})");
    private static final Path LISTS = Path.of("src/test/resources/texts");
    private static final List<String> LANGUAGES = List.of("ru", "ko", "uk", "en");

    @Test
    void koreanTextsUseTheNorthKoreanNorm() throws IOException {
        var southToNorth = pairs(LISTS.resolve("ko-south-to-north.txt"));
        assertThat(southToNorth).as("the list itself").hasSizeGreaterThan(30);
        var found = new ArrayList<String>();
        texts("ko").forEach((file, text) -> southToNorth.forEach((south, north) -> {
            if (text.contains(south)) {
                found.add(file + ": '" + south + "' (write '" + north + "')");
            }
        }));
        assertThat(found).isEmpty();
    }

    @Test
    void oneWordForOperatorInKorean() throws IOException {
        var found = new ArrayList<String>();
        texts("ko").forEach((file, text) -> {
            for (var other : List.of("운영자", "상담원", "상담사", "오퍼레이터")) {
                if (text.contains(other)) {
                    found.add(file + ": " + other);
                }
            }
        });
        assertThat(found).as("담당자 everywhere").isEmpty();
        assertThat(texts("ko").values()).anyMatch(text -> text.contains("담당자"));
    }

    @Test
    void readsTheLiteralsOfJavaCodeAsTheProgramUsesThem() {
        var source = """
                // "not this" (a comment)
                /* nor "this" */
                var prompts = Map.of("ko", "신호음이 " + "울린 후",
                        'x', '"', '\\'', "\\"quoted\\" \\u0041", text.replace("a", "b"));
                var block = \"""
                    첫줄
                      둘째줄\\t끝
                    \""";
                """;
        assertThat(literals(source)).containsExactly("ko", "신호음이 울린 후", "\"quoted\" A", "a", "b", "첫줄\n  둘째줄\t끝\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ru", "ko", "uk", "en"})
    void noTextHoldsADeniedWord(String language) throws IOException {
        var denied = lines(LISTS.resolve("deny-texts.txt"));
        var found = new ArrayList<String>();
        texts(language).forEach((file, text) -> {
            var lower = text.toLowerCase(Locale.ROOT);
            denied.stream().filter(word -> lower.contains(word.toLowerCase(Locale.ROOT)))
                    .forEach(word -> found.add(file + ": " + word));
        });
        assertThat(found).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ru", "ko", "uk", "en"})
    void codenameListsAreSafeToWriteDown(String language) throws IOException {
        var words = Files.readAllLines(MAIN.resolve("webchat/codenames/" + language + ".txt"), StandardCharsets.UTF_8)
                .stream().map(String::strip).filter(word -> !word.isEmpty()).toList();
        assertThat(words).hasSize(2048).doesNotHaveDuplicates();
        assertThat(words).allSatisfy(word -> {
            assertThat(word).as("one word of letters only, short enough to copy").matches("\\p{L}{2,10}");
            assertThat(word).as("lower case").isEqualTo(word.toLowerCase(Locale.ROOT));
        });
        var denied = lines(LISTS.resolve("deny-codenames.txt"));
        var found = words.stream().filter(word -> denied.stream().anyMatch(entry -> entry.endsWith("*")
                ? word.startsWith(entry.substring(0, entry.length() - 1).toLowerCase(Locale.ROOT))
                : word.equals(entry.toLowerCase(Locale.ROOT)))).toList();
        assertThat(found).isEmpty();
        var script = switch (language) {
            case "ko" -> "\\p{IsHangul}+";
            case "ru" -> "[а-я]+";
            case "uk" -> "[а-щьюяєіїґ]+";
            default -> "[a-z]+";
        };
        assertThat(words).allMatch(word -> word.matches(script), "written in the language's own letters: " + script);
    }

    @Test
    void theServiceIsNamedOnlyByItsConfiguredName() throws IOException {
        var configured = new Properties();
        try (var in = Files.newBufferedReader(MAIN.resolve("application.properties"), StandardCharsets.ISO_8859_1)) {
            configured.load(in);
        }
        var names = LANGUAGES.stream().map(language -> configured.getProperty("lifeline.service-name." + language)).toList();
        assertThat(names).doesNotContainNull();
        var found = new ArrayList<String>();
        for (var language : LANGUAGES) {
            texts(language).forEach((file, text) -> names.stream().filter(text::contains)
                    .forEach(name -> found.add(file + ": " + name)));
        }
        assertThat(found).as("written out instead of {service_name}").isEmpty();
        for (var language : LANGUAGES) {
            assertThat(replies(language).getProperty("greeting")).contains("{service_name}");
            assertThat(Files.readString(MAIN.resolve("flows/main/" + language + ".yaml"))).contains("{service_name}");
        }
    }

    @Test
    void koreanTextsQuoteWithDoubleAngleBrackets() throws IOException {
        texts("ko").forEach((file, text) -> assertThat(text).as(file).doesNotContain("「", "」", "“", "”"));
    }

    /** Every requester-facing file of a language, by name, with property files decoded. */
    private static Map<String, String> texts(String language) throws IOException {
        var texts = new LinkedHashMap<String, String>();
        try (Stream<Path> flows = Files.list(MAIN.resolve("flows"))) {
            for (var dir : flows.sorted().toList()) {
                var file = dir.resolve(language + ".yaml");
                if (Files.exists(file)) {
                    texts.put(MAIN.relativize(file).toString(), Files.readString(file));
                }
            }
        }
        for (var name : List.of("site/messages_" + language + ".properties", "webchat/messages_" + language + ".properties",
                "console/replies/replies_" + language + ".properties",
                "campaigns/material/messages_" + language + ".properties")) {
            var properties = new Properties();
            try (var in = Files.newBufferedReader(MAIN.resolve(name), StandardCharsets.UTF_8)) {
                properties.load(in);
            }
            texts.put(name, String.join("\n", properties.values().stream().map(Object::toString).toList()));
        }
        var codenames = MAIN.resolve("webchat/codenames/" + language + ".txt");
        if (Files.exists(codenames)) {
            texts.put(MAIN.relativize(codenames).toString(), Files.readString(codenames));
        }
        var script = SCRIPTS.get(language);
        if (script != null) {
            texts.putAll(heldInCode(script));
        }
        return texts;
    }

    /**
     * The string literals in the Java sources, and the lines of the templates, written in a script: words that reach
     * the requester without a message file (what the phone line says, what SMS and WhatsApp add, the error page).
     */
    private static Map<String, String> heldInCode(Pattern script) throws IOException {
        var texts = new LinkedHashMap<String, String>();
        try (Stream<Path> sources = Files.walk(JAVA)) {
            for (var file : sources.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                var written = literals(Files.readString(file)).stream().filter(l -> script.matcher(l).find()).toList();
                if (!written.isEmpty()) {
                    texts.put(file.toString(), String.join("\n", written));
                }
            }
        }
        try (Stream<Path> templates = Files.walk(MAIN.resolve("templates"))) {
            for (var file : templates.filter(f -> f.toString().endsWith(".html")).sorted().toList()) {
                var written = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .filter(line -> script.matcher(line).find()).toList();
                if (!written.isEmpty()) {
                    texts.put(MAIN.relativize(file).toString(), String.join("\n", written));
                }
            }
        }
        return texts;
    }

    /**
     * The string literals of a Java source, escapes translated, comments and character literals skipped; literals
     * joined with {@code +} come back as one, as the program uses them.
     */
    static List<String> literals(String code) {
        // Unicode escapes are translated before the compiler reads anything else
        var source = UNICODE_ESCAPE.matcher(code)
                .replaceAll(escape -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(escape.group(1), 16))));
        var found = new ArrayList<String>();
        StringBuilder joined = null;
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                i = source.indexOf("*/", i + 2) + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int start = source.indexOf('\n', i) + 1;
                int end = source.indexOf("\"\"\"", start);
                joined = append(joined, source.substring(start, end).stripIndent().translateEscapes());
                i = end + 3;
            } else if (c == '"') {
                int end = i + 1;
                while (source.charAt(end) != '"') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                joined = append(joined, source.substring(i + 1, end).translateEscapes());
                i = end + 1;
            } else if (c == '\'') {
                i = source.indexOf('\'', i + (source.charAt(i + 1) == '\\' ? 3 : 2)) + 1;
            } else if (c == '+' || Character.isWhitespace(c)) {
                i++;
            } else {
                if (joined != null) {
                    found.add(joined.toString());
                    joined = null;
                }
                i++;
            }
        }
        if (joined != null) {
            found.add(joined.toString());
        }
        return found;
    }

    private static StringBuilder append(StringBuilder joined, String literal) {
        return joined == null ? new StringBuilder(literal) : joined.append(literal);
    }

    private static Properties replies(String language) throws IOException {
        var properties = new Properties();
        properties.load(new StringReader(Files.readString(MAIN.resolve("console/replies/replies_" + language + ".properties"))));
        return properties;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).map(String::strip).toList();
    }

    private static Map<String, String> pairs(Path file) throws IOException {
        var pairs = new LinkedHashMap<String, String>();
        for (var line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            var parts = line.split("\t", 2);
            pairs.put(parts[0], parts.length > 1 ? parts[1] : "");
        }
        return pairs;
    }
}
