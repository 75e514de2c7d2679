package org.lifeline.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;

import org.junit.jupiter.api.Test;

class CaseReferencesTests {

    private final CaseReferences references = new CaseReferences();

    @Test
    void drawsSixUnambiguousCharactersInTwoGroups() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(references.next()).matches("[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}");
        }
    }

    @Test
    void rarelyRepeats() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(references.next());
        }
        // about 0.06 repeats are expected among 10,000 of 887 million
        assertThat(seen).hasSizeGreaterThan(9_995);
    }

    @Test
    void readsWhatPeopleTypeOrSay() {
        assertThat(CaseReferences.normalize("k7m-4qx")).contains("K7M-4QX");
        assertThat(CaseReferences.normalize(" K7M 4QX ")).contains("K7M-4QX");
        assertThat(CaseReferences.normalize("K7M4QX")).contains("K7M-4QX");
        assertThat(CaseReferences.normalize("K7M-4Q")).isEmpty();
        assertThat(CaseReferences.normalize("K7M-4Q0")).isEmpty();
    }

    @Test
    void readsCyrillicLookAlikesAsTheLatinLettersTheyResemble() {
        // К, М, Х, Т, Р, Е, Н, А, С, В and У typed on a Cyrillic keyboard, in either case
        assertThat(CaseReferences.normalize("К7М-4QХ")).contains("K7M-4QX");
        assertThat(CaseReferences.normalize("кТм рeн")).contains("KTM-PEH");
        assertThat(CaseReferences.normalize("АСВ-У23")).contains("ACB-Y23");
        assertThat(CaseReferences.normalize("K7M\u20134QX")).as("an en dash").contains("K7M-4QX");
        assertThat(CaseReferences.normalize("Ж7М-4QХ")).as("no look-alike of any letter in the alphabet").isEmpty();
    }
}
