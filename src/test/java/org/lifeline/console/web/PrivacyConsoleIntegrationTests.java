package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Map;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lifeline.cases.CaseView;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.CloseReason;
import org.lifeline.conversations.ContactId;
import org.lifeline.operators.Role;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.testing.ConsoleTest;

/** A supervisor erases a requester on his request, and supervisors and admins browse the access record. */
@ConsoleTest
class PrivacyConsoleIntegrationTests extends ConsoleFixture {

    private ContactId contact;
    private CaseView kase;

    @BeforeEach
    void openACase() {
        kase = openCase("erase", "ru", Map.of("name", "Иван Сидоров"), "Меня зовут Иван Петрович Сидоров");
        contact = kase.contact();
    }

    @Test
    void aSupervisorErasesTheRequesterAndTheAccessRecordSaysWho() throws Exception {
        var supervisor = accounts.create(Role.SUPERVISOR);
        var session = accounts.signIn(supervisor);
        var conversation = kase.conversation().value();

        mvc.perform(post("/console/conversations/" + conversation + "/erase").session(session).with(csrf())
                        .param("confirmed", "true"))
                .andExpect(redirectedUrl("/console/conversations/" + conversation));

        var erased = cases.find(kase.id()).orElseThrow();
        assertThat(erased.erased()).isTrue();
        assertThat(erased.details()).isEmpty();
        assertThat(erased.status()).isEqualTo(CaseStatus.CLOSED);
        assertThat(erased.closeReason()).isEqualTo(CloseReason.WITHDRAWN);
        assertThat(conversations.contact(contact).erased()).isTrue();
        assertThat(access.latest(5)).anySatisfy(entry -> {
            assertThat(entry.action()).isEqualTo("contact.erase");
            assertThat(entry.subject()).isEqualTo(contact.value().toString());
            assertThat(entry.actor()).isEqualTo(supervisor.id().value());
        });

        var page = mvc.perform(get("/console/cases/" + kase.id().value()).session(session))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("анонімний результат").doesNotContain("Сидоров")
                .doesNotContain("Стерти все про заявника");
    }

    @Test
    void anErasureIsNotDoneUnconfirmed() throws Exception {
        var session = accounts.signIn(accounts.create(Role.SUPERVISOR));

        mvc.perform(post("/console/conversations/" + kase.conversation().value() + "/erase").session(session)
                .with(csrf())).andExpect(status().is3xxRedirection());

        assertThat(cases.find(kase.id()).orElseThrow().details()).containsEntry("name", "Иван Сидоров");
    }

    @Test
    void supervisorsAndAdminsBrowseAndFilterTheAccessRecord() throws Exception {
        var operator = accounts.create(Role.OPERATOR);
        var operatorSession = accounts.signIn(operator);
        mvc.perform(get("/console/cases/" + kase.id().value()).session(operatorSession)).andExpect(status().isOk());

        for (var role : new Role[] {Role.SUPERVISOR, Role.ADMIN}) {
            var session = accounts.signIn(accounts.create(role));
            var html = mvc.perform(get("/console/access").session(session).param("actor", operator.username())
                            .param("action", "case."))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

            var rows = Jsoup.parse(html).select("tbody tr");
            assertThat(rows).isNotEmpty().allSatisfy(row -> {
                assertThat(row.child(2).text()).isEqualTo(operator.username());
                assertThat(row.child(3).text()).startsWith("case.");
            });
            assertThat(rows.eachText()).anyMatch(text -> text.contains("case.read")
                    && text.contains(kase.id().value().toString()));
        }
        assertThat(access.latest(3)).extracting(AccessRecord.Entry::action).contains("access-record.read");
    }

    @Test
    void aFilterThatIsNotAnIdSaysSoAndShowsNothing() throws Exception {
        var session = accounts.signIn(accounts.create(Role.SUPERVISOR));

        var html = mvc.perform(get("/console/access").session(session).param("subject", "Иван Сидоров"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        assertThat(Jsoup.parse(html).select(".problem").text()).isEqualTo("Неприпустимий ідентифікатор обʼєкта.");
        assertThat(Jsoup.parse(html).select("tbody tr")).isEmpty();
    }
}
