package org.lifeline.webchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.HashSet;

import org.junit.jupiter.api.Test;

class CodenamesTests {

    final Codenames codenames = new Codenames();

    @Test
    void drawsFiveWordsFromAListOf2048ForAtLeast55Bits() {
        var bits = Codenames.WORDS * (Math.log(Codenames.LIST_SIZE) / Math.log(2));
        assertThat(bits).isGreaterThanOrEqualTo(55);
        var seen = new HashSet<String>();
        for (int i = 0; i < 200; i++) {
            var codename = codenames.generate("en");
            assertThat(codename.split(" ")).hasSize(Codenames.WORDS);
            seen.add(codename);
        }
        assertThat(seen).as("random every time").hasSize(200);
    }

    @Test
    void givesEveryLanguageItsOwnWords() {
        assertThat(codenames.generate("ko")).matches("[\\p{IsHangul} ]+");
        assertThat(codenames.generate("ru")).matches("[а-я ]+");
        assertThat(codenames.generate("uk")).matches("[а-щьюяєіїґ ]+");
        assertThat(codenames.generate("en")).matches("[a-z ]+");
    }

    @Test
    void readsWhatPeopleTypeTheSameWayWhateverTheSpacingCaseOrComposition() {
        var korean = codenames.generate("ko");
        assertThat(Codenames.normalise("  " + Normalizer.normalize(korean, Normalizer.Form.NFD).replace(" ", ",  ") + "\n"))
                .isEqualTo(korean);
        assertThat(Codenames.normalise("Abandon-ABILITY  able.about\tabove")).isEqualTo("abandon ability able about above");
        assertThat(Codenames.normalise(null)).isEmpty();
        assertThat(Codenames.normalise(" , ")).isEmpty();
    }
}
