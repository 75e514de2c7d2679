package org.lifeline.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lifeline.site.SiteLanguage;
import org.springframework.core.io.ClassPathResource;

/** Every language of the site has every text of the chat, and none is formatted wrongly. */
class WebChatMessagesTests {

    @ParameterizedTest
    @MethodSource("org.lifeline.site.SiteLanguage#all")
    void everyLanguageHasExactlyTheKeysOfEnglishAndNoBareApostrophe(SiteLanguage language) throws IOException {
        var messages = load("webchat/messages_" + language.code() + ".properties");
        assertThat(messages.stringPropertyNames())
                .containsExactlyInAnyOrderElementsOf(load("webchat/messages_en.properties").stringPropertyNames());
        for (var key : messages.stringPropertyNames()) {
            // shown through MessageFormat, which would swallow an apostrophe
            assertThat(messages.getProperty(key)).as("%s in %s", key, language).isNotBlank().doesNotContain("'");
        }
    }

    @Test
    void theBaseBundleStaysEmpty() throws IOException {
        assertThat(load("webchat/messages.properties")).isEmpty();
    }

    private static Properties load(String path) throws IOException {
        var properties = new Properties();
        try (var in = new InputStreamReader(new ClassPathResource(path).getInputStream(), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }
}
