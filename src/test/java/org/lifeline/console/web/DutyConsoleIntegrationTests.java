package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.testing.ManualClock;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.OperatorDuty;
import org.lifeline.operators.Role;
import org.lifeline.testing.ConsoleTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The phone line's console control: an operator puts himself on duty with his languages and where calls reach him
 * (kept encrypted), is refused with a reason in his language when something is missing, and every change is in
 * the access record. A callback case warns of the risk of calling.
 */
@ConsoleTest
class DutyConsoleIntegrationTests {

    @Autowired
    MockMvc mvc;
    @Autowired
    OperatorAdministration administration;
    @Autowired
    ManualClock clock;
    @Autowired
    OperatorDuty duty;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ConversationManagement conversations;
    @Autowired
    CaseManagement cases;

    private ConsoleAccounts accounts;

    @BeforeEach
    void accounts() {
        accounts = new ConsoleAccounts(mvc, administration, clock);
    }

    @Test
    void anOperatorGoesOnDutyForHisLanguagesWithHisAddressEncrypted() throws Exception {
        var account = accounts.create(Role.OPERATOR);
        var session = accounts.signIn(account);
        assertThat(page(session)).contains("Ви не чергуєте.", "Ніхто не чекає.");

        mvc.perform(post("/console/duty").session(session).with(csrf()).param("onDuty", "true")
                        .param("language", "ko").param("language", "ru").param("reachAt", "+380671234567"))
                .andExpect(redirectedUrl("/console/duty"));

        var set = duty.of(account.id());
        assertThat(set.onDuty()).isTrue();
        assertThat(set.languages()).containsExactly("ru", "ko");
        assertThat(set.reachAt()).isEqualTo("+380671234567");
        assertThat(duty.onDutyFor("ko")).anySatisfy(o -> assertThat(o.operator()).isEqualTo(account.id()));
        assertThat(duty.onDutyFor("en")).noneSatisfy(o -> assertThat(o.operator()).isEqualTo(account.id()));
        var stored = jdbc.sql("select reach_at_enc from operator_duty where operator_id = ?").param(account.id().value())
                .query(byte[].class).single();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("380671234567");
        assertThat(page(session)).contains("Ви чергуєте", "+380671234567");
        assertThat(jdbc.sql("select count(*) from access_log where action = 'operator.duty' and subject_id = ?")
                .param(account.id().value().toString()).query(Long.class).single()).isEqualTo(1);

        mvc.perform(post("/console/duty").session(session).with(csrf()).param("onDuty", "false")
                        .param("language", "ko").param("reachAt", "+380671234567"))
                .andExpect(redirectedUrl("/console/duty"));
        assertThat(duty.onDutyFor("ko")).noneSatisfy(o -> assertThat(o.operator()).isEqualTo(account.id()));
    }

    @Test
    void goingOnDutyWithoutALanguageOrAnAddressIsRefusedWithAReason() throws Exception {
        var account = accounts.create(Role.COORDINATOR);
        var session = accounts.signIn(account);
        var refused = mvc.perform(post("/console/duty").session(session).with(csrf()).param("onDuty", "true")
                        .param("reachAt", "+380671234567"))
                .andExpect(redirectedUrl("/console/duty")).andReturn();
        assertThat((String) refused.getFlashMap().get("problem")).contains("оберіть принаймні одну мову");
        var badAddress = mvc.perform(post("/console/duty").session(session).with(csrf()).param("onDuty", "true")
                        .param("language", "uk").param("reachAt", "call me maybe"))
                .andReturn();
        assertThat((String) badAddress.getFlashMap().get("problem")).contains("SIP");
        assertThat(duty.of(account.id()).onDuty()).isFalse();
        mvc.perform(get("/console/duty").session(accounts.signIn(accounts.create(Role.ADMIN))))
                .andExpect(status().isForbidden());
    }

    @Test
    void aCallbackCaseWarnsOfTheRiskOfCallingHisPhone() throws Exception {
        var contact = conversations.findOrCreateContact("voice", "+7900" + (1_000_000 + new java.util.Random().nextInt(8_000_000)), "ru");
        var conversation = conversations.openOrResumeConversation(contact, "ru", null);
        var callback = cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation,
                Map.of("callback", "requested", "source", "phone"), "flow");
        var plain = cases.open(CaseKind.SURRENDER_REQUEST, conversations.findOrCreateContact("telegram",
                "duty-" + UUID.randomUUID(), "ru"), null, Map.of("group_size", "1"), "flow");
        var session = accounts.signIn(accounts.create(Role.OPERATOR));
        var warning = "Дзвінок на телефон військового може видати його";
        assertThat(page("/console/cases/" + callback.id().value(), session)).contains(warning);
        assertThat(page("/console/cases/" + plain.id().value(), session)).doesNotContain(warning);
    }

    @Test
    void theQueueAndThePhoneLinePageShowCallersWaitingByLanguage() throws Exception {
        var session = accounts.signIn(accounts.create(Role.OPERATOR));
        assertThat(page("/console", session)).doesNotContain("Корейська");
        var sid = "CA" + UUID.randomUUID().toString().replace("-", "");
        jdbc.sql("""
                insert into telephony_call (call_sid, endpoint, language, state, waiting_since, started_at)
                values (?, '+15005550999', 'ko', 'WAITING', ?, ?)""")
                .params(sid, clock.instant().atOffset(java.time.ZoneOffset.UTC), clock.instant().atOffset(java.time.ZoneOffset.UTC))
                .update();
        try {
            assertThat(page("/console", session)).contains("Абоненти на лінії", "Корейська 1");
            assertThat(page(session)).contains("Корейська").doesNotContain("Ніхто не чекає.");
        } finally {
            jdbc.sql("delete from telephony_call where call_sid = ?").param(sid).update();
        }
    }

    @Test
    void adminsAreShownVoicemailsTheProviderStillHoldsUntilTheyConfirmDeletingThem() throws Exception {
        var contact = conversations.findOrCreateContact("voice", "+7901" + (1_000_000 + new java.util.Random().nextInt(8_000_000)), "ru");
        var message = conversations.recordInbound(conversations.openOrResumeConversation(contact, "ru", null), "[voicemail] 3 s", null);
        jdbc.sql("""
                insert into attachment_fetch (message_id, channel, endpoint, data_key_id, state, not_before, last_error)
                values (?, 'voice', '+15005550999', (select id from data_key fetch first 1 rows only), 'UNDELETED', ?, 'gave-up')""")
                .params(message.value(), clock.instant().atOffset(java.time.ZoneOffset.UTC)).update();
        var notice = "не вдалося видалити в телефонного провайдера";
        var admin = accounts.signIn(accounts.create(Role.ADMIN));
        var operator = accounts.signIn(accounts.create(Role.OPERATOR));
        assertThat(page("/console/users", admin)).contains(notice);
        assertThat(page("/console", operator)).doesNotContain(notice);
        mvc.perform(post("/console/provider-copies").session(operator).with(csrf())).andExpect(status().isForbidden());
        assertThat(page("/console/users", admin)).contains(notice);

        mvc.perform(post("/console/provider-copies").session(admin).with(csrf())).andExpect(redirectedUrl("/console/users"));
        assertThat(page("/console/users", admin)).doesNotContain(notice);
        assertThat(jdbc.sql("select state from attachment_fetch where message_id = ?").param(message.value())
                .query(String.class).single()).isEqualTo("ACKNOWLEDGED");
        assertThat(jdbc.sql("select count(*) from access_log where action = 'channel.copies.deleted'").query(Long.class).single())
                .isPositive();
    }

    private String page(MockHttpSession session) throws Exception {
        return page("/console/duty", session);
    }

    private String page(String path, MockHttpSession session) throws Exception {
        return mvc.perform(get(path).session(session)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }
}
