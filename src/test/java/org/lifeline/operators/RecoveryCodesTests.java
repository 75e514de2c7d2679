package org.lifeline.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;

import org.junit.jupiter.api.Test;

class RecoveryCodesTests {

    @Test
    void generatesTenDistinctCodesOfEightyBits() {
        var codes = RecoveryCodes.generate();

        assertThat(codes).hasSize(RecoveryCodes.COUNT).doesNotHaveDuplicates()
                .allMatch(code -> code.matches("([a-km-np-z2-9]{4}-){3}[a-km-np-z2-9]{4}"));
        assertThat(new HashSet<>(codes)).doesNotContainAnyElementsOf(RecoveryCodes.generate());
    }

    @Test
    void caseBlanksAndDashesDoNotMatterWhenTyped() {
        var code = RecoveryCodes.generate().getFirst();
        var typed = " " + code.toUpperCase().replace("-", " ") + " ";

        assertThat(RecoveryCodes.looksLikeCode(typed)).isTrue();
        assertThat(RecoveryCodes.hash(typed)).isEqualTo(RecoveryCodes.hash(code));
    }

    @Test
    void hashesAreSha256AndDifferPerCode() {
        var codes = RecoveryCodes.generate();

        assertThat(RecoveryCodes.hash(codes.get(0))).matches("[0-9a-f]{64}")
                .isNotEqualTo(RecoveryCodes.hash(codes.get(1)));
    }

    @Test
    void sixDigitCodesAreNotRecoveryCodes() {
        assertThat(RecoveryCodes.looksLikeCode("123456")).isFalse();
        assertThat(RecoveryCodes.looksLikeCode("abcd-efgh-jkmn-pqr")).isFalse();
        assertThat(RecoveryCodes.looksLikeCode("abcd-efgh-jkmn-pqrl")).as("l is not in the alphabet").isFalse();
    }
}
