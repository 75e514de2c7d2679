package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VisibleTextTests {

    @Test
    void showsBidiZeroWidthAndControlCharactersAsMarkers() {
        assertThat(VisibleText.show("invoice\u202Efdp.exe")).isEqualTo("invoice⟨U+202E⟩fdp.exe");
        assertThat(VisibleText.show("pass\u200Bword\u2066x\u2069\u200F")).isEqualTo("pass⟨U+200B⟩word⟨U+2066⟩x⟨U+2069⟩⟨U+200F⟩");
        assertThat(VisibleText.show("a\u0000b\u001Bc\u2028d\uFEFF")).isEqualTo("a⟨U+0000⟩b⟨U+001B⟩c⟨U+2028⟩d⟨U+FEFF⟩");
        assertThat(VisibleText.show("tag\uDB40\uDC41")).isEqualTo("tag⟨U+E0041⟩");
    }

    @Test
    void leavesOrdinaryTextOfEveryScriptAlone() {
        var text = "Я хочу жить. 살고 싶습니다. Хочу жити!\nLine two\twith a tab, 48.0159, 37.8029 🙂 עברית العربية";
        assertThat(VisibleText.show(text)).isEqualTo(text);
        assertThat(VisibleText.show(null)).isNull();
    }
}
