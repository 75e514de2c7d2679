package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Map;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.lifeline.operators.Role;
import org.lifeline.testing.ConsoleTest;

/** A requester's text that would display as something it is not shows the operator what it really holds. */
@ConsoleTest
class SpoofedTextIntegrationTests extends ConsoleFixture {

    @Test
    void theCasePageShowsBidiAndZeroWidthCharactersAndIsolatesEachMessage() throws Exception {
        var kase = openCase("spoof", "ru", Map.of("group_size", "2", "name", "Иван\u2066\u202Eвонаи\u2069"),
                "Встреча в 05:00 \u202E00:32 в\u200B");
        var session = accounts.signIn(accounts.create(Role.OPERATOR));

        var html = mvc.perform(get("/console/cases/" + kase.id().value()).session(session))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(html).doesNotContain("\u202E", "\u200B", "\u2066", "\u2069")
                .contains("Встреча в 05:00 ⟨U+202E⟩00:32 в⟨U+200B⟩", "Иван⟨U+2066⟩⟨U+202E⟩вонаи⟨U+2069⟩");
        var page = Jsoup.parse(html);
        assertThat(page.select(".transcript li p")).isNotEmpty()
                .allSatisfy(message -> assertThat(message.attr("dir")).isEqualTo("auto"));
    }
}
