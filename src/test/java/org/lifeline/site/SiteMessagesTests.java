package org.lifeline.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every language says everything: a missing text would show a key instead of words, or nothing. */
class SiteMessagesTests {

    private static final Pattern HANGUL = Pattern.compile("\\p{IsHangul}");
    private static final Pattern CYRILLIC = Pattern.compile("\\p{IsCyrillic}");

    @ParameterizedTest
    @MethodSource("org.lifeline.site.SiteLanguage#all")
    void everyLanguageHasExactlyTheKeysOfEnglish(SiteLanguage language) throws IOException {
        assertThat(messages(language).stringPropertyNames())
                .containsExactlyInAnyOrderElementsOf(messages(SiteLanguage.of("en")).stringPropertyNames());
    }

    @ParameterizedTest
    @MethodSource("org.lifeline.site.SiteLanguage#all")
    void noTextIsEmptyAndNoListHasAnEmptyItem(SiteLanguage language) throws IOException {
        var messages = messages(language);
        for (var key : messages.stringPropertyNames()) {
            for (var item : messages.getProperty(key).split("\\|", -1)) {
                assertThat(item.strip()).as("%s in %s", key, language).isNotEmpty();
            }
        }
    }

    @Test
    void koreanAndRussianAreWrittenInTheirOwnScripts() throws IOException {
        assertThat(messages(SiteLanguage.of("ko")).getProperty("home.lead")).containsPattern(HANGUL);
        assertThat(messages(SiteLanguage.of("ru")).getProperty("home.lead")).containsPattern(CYRILLIC);
        assertThat(messages(SiteLanguage.of("uk")).getProperty("home.lead")).containsPattern(CYRILLIC);
    }

    @Test
    void theBaseBundleStaysEmptySoNoLanguageSilentlyBorrowsAnother() throws IOException {
        assertThat(load("site/messages.properties")).isEmpty();
    }

    private static Properties messages(SiteLanguage language) throws IOException {
        return load("site/messages_" + language.code() + ".properties");
    }

    private static Properties load(String resource) throws IOException {
        try (var in = SiteMessagesTests.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            var properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        }
    }
}
