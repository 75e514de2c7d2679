package org.lifeline.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordPolicyTests {

    @Test
    void refusesPasswordsShorterThanTwelveCharacters() {
        assertThatThrownBy(() -> PasswordPolicy.checkPassword("alice", "elevenchars"))
                .isInstanceOf(InvalidAccountChange.class).hasMessageContaining("at least 12");
        assertThatCode(() -> PasswordPolicy.checkPassword("alice", "twelve chars")).doesNotThrowAnyException();
    }

    @Test
    void countsCharactersNotBytes() {
        assertThatCode(() -> PasswordPolicy.checkPassword("alice", "пароль-пароль")).doesNotThrowAnyException();
        assertThatCode(() -> PasswordPolicy.checkPassword("alice", "비밀번호는길어야합니다좋아")).doesNotThrowAnyException();
        assertThatThrownBy(() -> PasswordPolicy.checkPassword("alice", "비밀번호는길어야합니다"))
                .isInstanceOf(InvalidAccountChange.class);
    }

    @Test
    void refusesThePasswordThatIsTheUsername() {
        assertThatThrownBy(() -> PasswordPolicy.checkPassword("operator.kyiv", "Operator.Kyiv"))
                .isInstanceOf(InvalidAccountChange.class).hasMessageContaining("not be the username");
    }

    @Test
    void refusesOverlongPasswords() {
        assertThatThrownBy(() -> PasswordPolicy.checkPassword("alice", "x".repeat(PasswordPolicy.MAX_LENGTH + 1)))
                .isInstanceOf(InvalidAccountChange.class).hasMessageContaining("at most");
    }

    @Test
    void refusesNoPassword() {
        assertThatThrownBy(() -> PasswordPolicy.checkPassword("alice", null)).isInstanceOf(InvalidAccountChange.class);
    }

    @Test
    void usernamesAreLowercasePseudonyms() {
        assertThat(PasswordPolicy.checkUsername("  Night.Owl-7 ")).isEqualTo("night.owl-7");
        assertThatThrownBy(() -> PasswordPolicy.checkUsername("ab")).isInstanceOf(InvalidAccountChange.class);
        assertThatThrownBy(() -> PasswordPolicy.checkUsername("оператор")).isInstanceOf(InvalidAccountChange.class);
        assertThatThrownBy(() -> PasswordPolicy.checkUsername("a b c")).isInstanceOf(InvalidAccountChange.class);
        assertThatThrownBy(() -> PasswordPolicy.checkUsername(".hidden")).isInstanceOf(InvalidAccountChange.class);
    }
}
