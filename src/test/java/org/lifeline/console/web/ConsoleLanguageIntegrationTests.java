package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lifeline.cases.CaseView;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.operators.OperatorManagement;
import org.lifeline.operators.Role;
import org.lifeline.testing.ConsoleTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpSession;

/**
 * The console speaks each operator's language: Ukrainian for a new account, English once he chooses it, and
 * before signing in the browser's choice between the two. Every text on the pages comes from the message files.
 */
@ConsoleTest
class ConsoleLanguageIntegrationTests extends ConsoleFixture {

    @Autowired
    OperatorManagement operators;
    private CaseView kase;

    @BeforeEach
    void openACase() {
        var contact = conversations.findOrCreateContact("telegram", "language-" + UUID.randomUUID(), "ko");
        var conversation = conversations.openOrResumeConversation(contact, "ko", null);
        kase = cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation, Map.of("group_size", "2"), "test");
    }

    @Test
    void aNewAccountsConsoleIsInUkrainianThroughout() throws Exception {
        var account = accounts.create(Role.OPERATOR);
        assertThat(operators.language(account.id())).isEqualTo("uk");
        var session = accounts.signIn(account);

        var queue = page("/console", session);
        assertThat(queue).contains("lang=\"uk\"", "Черга", "Вийти", "Виконавець");
        var casePage = page("/console/cases/" + kase.id().value(), session);
        assertThat(casePage).contains("Справа " + kase.reference(), "Листування", "Готова відповідь",
                // the canned replies' meaning in his language, the service named as configured
                "Добрий день. Ви говорите з оператором служби «Лінія життя»");
        assertNoEnglish(queue);
        assertNoEnglish(casePage);
    }

    @Test
    void anOperatorSwitchesHisConsoleToEnglish() throws Exception {
        var account = accounts.create(Role.COORDINATOR);
        var session = accounts.signIn(account);

        mvc.perform(post("/console/language").session(session).with(csrf()).param("language", "en"))
                .andExpect(redirectedUrl("/console"));

        assertThat(operators.language(account.id())).isEqualTo("en");
        assertThat(page("/console/handovers", session)).contains("lang=\"en\"", "Handovers", "Sign out");
        mvc.perform(post("/console/language").session(session).with(csrf()).param("language", "ko"))
                .andExpect(status().isBadRequest());
        assertThat(operators.language(account.id())).isEqualTo("en");
    }

    @Test
    void signInSpeaksTheBrowsersChoiceBetweenUkrainianAndEnglish() throws Exception {
        var ukrainian = mvc.perform(get("/console/login").header(HttpHeaders.ACCEPT_LANGUAGE, "uk-UA,uk;q=0.9,ru;q=0.8"))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(ukrainian).contains("Вхід", "Пароль");
        assertNoEnglish(ukrainian);
        var other = mvc.perform(get("/console/login").header(HttpHeaders.ACCEPT_LANGUAGE, "de"))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(other).contains("Sign in", "Password");
    }

    @Test
    void everyConsoleTextExistsInBothLanguages() throws IOException {
        assertThat(messages("uk").stringPropertyNames()).isEqualTo(messages("en").stringPropertyNames());
    }

    private String page(String path, MockHttpSession session) throws Exception {
        return mvc.perform(get(path).session(session)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    /** No English console text (longer than a word or two) shows on a Ukrainian page. */
    private static void assertNoEnglish(String page) throws IOException {
        var english = messages("en");
        var found = new ArrayList<String>();
        for (var key : english.stringPropertyNames()) {
            var text = english.getProperty(key);
            if (text.length() > 12 && !text.contains("{") && !text.equals(messages("uk").getProperty(key)) && page.contains(text)) {
                found.add(key + ": " + text);
            }
        }
        assertThat(found).isEmpty();
    }

    private static Properties messages(String language) throws IOException {
        var properties = new Properties();
        try (var in = new InputStreamReader(new ClassPathResource("console/messages_" + language + ".properties")
                .getInputStream(), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }
}
