package org.lifeline.channels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextLanguageTests {

    @Test
    void tellsTheLanguageByItsLetters() {
        assertThat(TextLanguage.of("도와주십시오", "en")).isEqualTo("ko");
        assertThat(TextLanguage.of("Шукаю брата, допоможіть", "en")).isEqualTo("uk");
        assertThat(TextLanguage.of("Є питання", "en")).isEqualTo("uk");
        assertThat(TextLanguage.of("Хочу сдаться", "en")).isEqualTo("ru");
        // Russian words mixed with Latin, digits and emoji are still Russian
        assertThat(TextLanguage.of("ok 👍 хочу жить 2", "en")).isEqualTo("ru");
        assertThat(TextLanguage.of("hello", "en")).isEqualTo("en");
        assertThat(TextLanguage.of("123", "ko")).isEqualTo("ko");
        assertThat(TextLanguage.of(null, "ru")).isEqualTo("ru");
    }
}
