package org.lifeline.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmsSegmentsTests {

    @Test
    void countsTheGsmAlphabetInSeptetsWithExtensionCharactersTwice() {
        assertThat(SmsSegments.encoding("Hello, are you safe? @£$")).isEqualTo(SmsSegments.Encoding.GSM_7);
        assertThat(SmsSegments.count("a".repeat(160))).isEqualTo(1);
        assertThat(SmsSegments.count("a".repeat(161))).isEqualTo(2);
        assertThat(SmsSegments.count("a".repeat(306))).isEqualTo(2);
        assertThat(SmsSegments.count("a".repeat(307))).isEqualTo(3);
        // € is an escape and a character: 80 of them fill one SMS, 81 do not
        assertThat(SmsSegments.count("€".repeat(80))).isEqualTo(1);
        assertThat(SmsSegments.count("€".repeat(81))).isEqualTo(2);
        // an escape pair never straddles two segments: 152 septets, then € would need 2 of the 1 left
        assertThat(SmsSegments.count("a".repeat(152) + "€" + "a".repeat(152))).isEqualTo(3);
    }

    @Test
    void countsCyrillicAndHangulAsUcs2() {
        assertThat(SmsSegments.encoding("Хочу сдаться")).isEqualTo(SmsSegments.Encoding.UCS_2);
        assertThat(SmsSegments.encoding("살고 싶습니다")).isEqualTo(SmsSegments.Encoding.UCS_2);
        assertThat(SmsSegments.count("ж".repeat(70))).isEqualTo(1);
        assertThat(SmsSegments.count("ж".repeat(71))).isEqualTo(2);
        assertThat(SmsSegments.count("ж".repeat(134))).isEqualTo(2);
        assertThat(SmsSegments.count("ж".repeat(135))).isEqualTo(3);
        assertThat(SmsSegments.count("생".repeat(70))).isEqualTo(1);
        assertThat(SmsSegments.count("생".repeat(201))).isEqualTo(3);
        // one Cyrillic letter turns a whole Latin text into UCS-2
        assertThat(SmsSegments.count("a".repeat(69) + "ж")).isEqualTo(1);
        assertThat(SmsSegments.count("a".repeat(70) + "ж")).isEqualTo(2);
    }

    @Test
    void countsAnEmojiAsTwoUnitsThatStayTogether() {
        assertThat(SmsSegments.count("😀".repeat(35))).isEqualTo(1);
        assertThat(SmsSegments.count("😀".repeat(36))).isEqualTo(2);
        // 66 units, then an emoji would need 2 of the 1 left in the segment
        assertThat(SmsSegments.count("ж".repeat(66) + "😀" + "ж".repeat(66))).isEqualTo(3);
    }

    @Test
    void leavesATextThatFitsWhole() {
        var text = "Вы в безопасности?\n\n1. Да\n2. Нет";
        assertThat(SmsSegments.split(text, 10)).containsExactly(text);
    }

    @Test
    void splitsALongKoreanTextAtSegmentBoundariesKeepingWordsWhole() {
        var word = "도와주십시오 ";
        var text = word.repeat(200).strip();
        var parts = SmsSegments.split(text, 2);
        assertThat(parts).hasSizeGreaterThan(1);
        assertThat(String.join(" ", parts)).isEqualTo(text);
        for (var part : parts) {
            assertThat(SmsSegments.count(part)).isLessThanOrEqualTo(2);
            assertThat(part).startsWith("도").endsWith("오");
        }
    }

    @Test
    void splitsAtTheSegmentBoundaryWhenThereIsNoSpaceAndNeverInsideAnEmoji() {
        var text = "ж".repeat(100) + "😀".repeat(100);
        var parts = SmsSegments.split(text, 1);
        assertThat(String.join("", parts)).isEqualTo(text);
        for (var part : parts) {
            assertThat(SmsSegments.count(part)).isEqualTo(1);
            assertThat(Character.isLowSurrogate(part.charAt(0))).isFalse();
            assertThat(Character.isHighSurrogate(part.charAt(part.length() - 1))).isFalse();
        }
        assertThat(parts.getFirst()).hasSize(67);
    }

    @Test
    void splitsRussianIntoMessagesOfAtMostTheConfiguredSegments() {
        var text = ("Напишите, где вы находитесь, сколько вас и когда вы сможете выйти. ").repeat(30).strip();
        var parts = SmsSegments.split(text, 10);
        assertThat(parts).hasSize(3);
        assertThat(parts).allSatisfy(p -> assertThat(SmsSegments.count(p)).isLessThanOrEqualTo(10));
        assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(1600));
        assertThat(String.join(" ", parts)).isEqualTo(text);
    }
}
