package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lifeline.platform.ServiceName;

class RepliesInTheRequestersLanguageTests {

    private final CannedReplies canned = new CannedReplies(new ServiceName(Map.of("en", "Test Line", "ko", "시험선")));

    @Test
    void namesTheServiceByItsConfiguredNameInTheRepliesLanguage() {
        assertThat(canned.render("greeting", "ko", Map.of())).contains("《시험선》").doesNotContain("{");
        assertThat(canned.render("greeting", "ru", Map.of())).as("no Russian name configured: the English one")
                .contains("«Test Line»");
    }

    @Test
    void rendersACannedReplyInTheRequestersLanguageWithItsPlaceholders() {
        var text = canned.render("meeting-point", "ko", Map.of("time", "05:00", "place", "다리", "grid", "37UDQ06501795"));

        assertThat(text).contains("05:00", "다리", "37UDQ06501795", "만남 장소").doesNotContain("{");
    }

    @Test
    void leavesAnUnfilledPlaceholderVisibleAndFallsBackToEnglish() {
        assertThat(canned.render("meeting-point", "de", Map.of())).startsWith("Go to").contains("{time}");
    }

    @Test
    void tellsScriptsApart() {
        assertThat(Scripts.looksLike("안전한 곳에 머무르십시오", "ko")).isTrue();
        assertThat(Scripts.looksLike("Оставайтесь на месте", "ko")).isFalse();
        assertThat(Scripts.looksLike("Оставайтесь на месте", "uk")).isTrue();
        assertThat(Scripts.looksLike("Stay where you are", "ru")).isFalse();
        assertThat(Scripts.looksLike("37UDQ 05:00", "ko")).isFalse();
        assertThat(Scripts.looksLike("05:00", "ko")).isTrue();
    }
}
