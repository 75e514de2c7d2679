package org.lifeline.site;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SiteLanguageTests {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "ru-RU,ru;q=0.9,en;q=0.8 | ru",
            "uk-UA,uk;q=0.9,ru;q=0.8  | uk",
            "ru;q=0.5, uk;q=0.8       | uk",
            "uk;q=0.5, ru;q=0.8       | ru",
            "de-DE, ko-KP;q=0.3       | ko",
            "ko-KR                    | ko",
            "en-GB                    | en",
            "ru;q=0, en;q=0.1         | en",
            "de, fr;q=0.9             | en",
            "*                        | en",
            "not a header;;;q=x       | en",
            "NONE                     | en"})
    void choosesTheBestLanguageByQualityValuesFallingBackToEnglish(String acceptLanguage, String expected) {
        assertThat(SiteLanguage.negotiate(acceptLanguage).code()).isEqualTo(expected);
    }
}
