package org.lifeline.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The console speaks Ukrainian and English: each says everything the other does, and the base bundle stays empty so
 * that a missing text shows as missing instead of borrowing the other language.
 */
class ConsoleMessagesTests {

    private static final Pattern CYRILLIC = Pattern.compile("\\p{IsCyrillic}");

    /** Names that are the same in both: the service's own, and the grid reference system's. */
    private static final Set<String> NAMES = Set.of("Lifeline", "MGRS");

    @Test
    void ukrainianAndEnglishHaveExactlyTheSameKeys() throws IOException {
        assertThat(load("console/messages_uk.properties").stringPropertyNames())
                .containsExactlyInAnyOrderElementsOf(load("console/messages_en.properties").stringPropertyNames());
    }

    @Test
    void noTextIsEmpty() throws IOException {
        for (var language : new String[] {"uk", "en"}) {
            var messages = load("console/messages_" + language + ".properties");
            for (var key : messages.stringPropertyNames()) {
                assertThat(messages.getProperty(key).strip()).as("%s in %s", key, language).isNotEmpty();
            }
        }
    }

    @Test
    void ukrainianIsWrittenInItsOwnScript() throws IOException {
        var ukrainian = load("console/messages_uk.properties");
        var english = load("console/messages_en.properties");
        var alike = ukrainian.stringPropertyNames().stream()
                .filter(key -> !CYRILLIC.matcher(ukrainian.getProperty(key)).find())
                .filter(key -> ukrainian.getProperty(key).equals(english.getProperty(key)))
                .filter(key -> english.getProperty(key).chars().filter(Character::isLetter).count() > 3)
                .filter(key -> !NAMES.contains(english.getProperty(key).strip()))
                .toList();
        // a text copied from English and not translated; names and codes (few letters, or none) are the same in both
        assertThat(alike).as("texts in messages_uk that are the English ones").isEmpty();
    }

    @Test
    void theBaseBundleStaysEmpty() throws IOException {
        assertThat(load("console/messages.properties")).isEmpty();
    }

    private static Properties load(String resource) throws IOException {
        try (var in = ConsoleMessagesTests.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            var properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        }
    }
}
