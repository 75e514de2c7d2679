package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lifeline.channels.TransitKeys;
import org.lifeline.operators.Role;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.testing.ConsoleTest;
import org.lifeline.testing.SetAsideRows;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;

/**
 * Admins see the inbound updates set aside, never what they say, and try each again or discard it; everyone else is
 * refused, and every look, action and refusal is in the access record. The updates are of a bot no node serves, so
 * one tried again waits, pending, for the test to look at it; what each "says" is stored as plain text, so that a
 * page showing it would be seen to.
 */
@ConsoleTest
class SetAsideConsoleIntegrationTests extends ConsoleFixture {

    static final String BOT = "lifeline_unserved_bot";

    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransitKeys transitKeys;

    private final String marker = "секрет-" + UUID.randomUUID();

    @AfterEach
    void removeUpdates() {
        jdbc.sql("delete from inbound_update where endpoint = ?").param(BOT).update();
    }

    @Test
    void anAdminSeesWhatWasSetAsideWithoutWhatItSaysAndTheLookIsRecorded() throws Exception {
        var admin = accounts.create(Role.ADMIN);
        var session = accounts.signIn(admin);
        var conversation = conversations.openOrResumeConversation(
                conversations.findOrCreateContact("telegram", "aside-" + UUID.randomUUID(), "ru"), "ru", null);
        var id = setAside(conversation.value());
        var unlinked = setAside(null);

        var page = page(session, "/console/inbound-failed");

        assertThat(page).contains(">" + id + "<", ">" + unlinked + "<", "DataIntegrityViolationException", BOT,
                        conversation.value().toString(), "/console/inbound-failed/" + id + "/retry",
                        "/console/inbound-failed/" + id + "/discard")
                .doesNotContain(marker)
                // he holds no READ_CASE: the conversation's id to hand on, not a link to a page he would be refused
                .doesNotContain("/console/conversations/" + conversation.value());
        assertThat(access.latest(1)).extracting(AccessRecord.Entry::actor, AccessRecord.Entry::action,
                AccessRecord.Entry::subject, AccessRecord.Entry::outcome)
                .containsExactly(tuple(admin.id().value(), "inbound.failed.read", null, Outcome.SUCCEEDED));
        // every page tells admins how many wait, with the way to them
        var count = jdbc.sql("select count(*) from inbound_update where state = 'FAILED'").query(Long.class).single();
        assertThat(page(session, "/console/users")).contains("Повідомлень, відкладених після невдалих спроб: " + count,
                "href=\"/console/inbound-failed\"");
    }

    @Test
    void tryingAgainPutsItBackInTheQueueOnceAndIsRecorded() throws Exception {
        var admin = accounts.create(Role.ADMIN);
        var session = accounts.signIn(admin);
        var id = setAside(null);

        mvc.perform(post("/console/inbound-failed/" + id + "/retry").session(session).with(csrf()));

        assertThat(row(id)).isEqualTo("PENDING 0 - kept");
        assertThat(access.latest(1)).extracting(AccessRecord.Entry::actor, AccessRecord.Entry::action,
                AccessRecord.Entry::subject, AccessRecord.Entry::outcome)
                .containsExactly(tuple(admin.id().value(), "inbound.failed.retry", Long.toString(id), Outcome.SUCCEEDED));
        assertThat(page(session, "/console/inbound-failed")).doesNotContain(">" + id + "<");

        // again: it is no longer set aside
        var again = mvc.perform(post("/console/inbound-failed/" + id + "/retry").session(session).with(csrf()))
                .andReturn();
        assertThat(again.getFlashMap().get("problem")).asString().contains(Long.toString(id));
        assertThat(access.latest(1)).extracting(AccessRecord.Entry::action, AccessRecord.Entry::outcome)
                .containsExactly(tuple("inbound.failed.retry", Outcome.REFUSED));

        // one whose payload was shredded with its day key cannot be tried again
        var shredded = setAside(null);
        jdbc.sql("update inbound_update set payload_enc = null where id = ?").param(shredded).update();
        mvc.perform(post("/console/inbound-failed/" + shredded + "/retry").session(session).with(csrf()));
        assertThat(row(shredded)).isEqualTo("FAILED 5 DataIntegrityViolationException shredded");
        assertThat(access.latest(1)).extracting(AccessRecord.Entry::action, AccessRecord.Entry::subject,
                AccessRecord.Entry::outcome)
                .containsExactly(tuple("inbound.failed.retry", Long.toString(shredded), Outcome.REFUSED));
    }

    @Test
    void discardingDeletesWhatItSaidAndIsRecorded() throws Exception {
        var admin = accounts.create(Role.ADMIN);
        var session = accounts.signIn(admin);
        var id = setAside(null);

        mvc.perform(post("/console/inbound-failed/" + id + "/discard").session(session).with(csrf()));

        assertThat(row(id)).isEqualTo("DISCARDED 5 DataIntegrityViolationException shredded");
        assertThat(access.latest(1)).extracting(AccessRecord.Entry::actor, AccessRecord.Entry::action,
                AccessRecord.Entry::subject, AccessRecord.Entry::outcome)
                .containsExactly(tuple(admin.id().value(), "inbound.failed.discard", Long.toString(id), Outcome.SUCCEEDED));
        assertThat(page(session, "/console/inbound-failed")).doesNotContain(">" + id + "<");
    }

    @Test
    void everyoneButAdminsIsRefusedAndTheRefusalRecorded() throws Exception {
        var id = setAside(null);
        for (var role : new Role[] {Role.OPERATOR, Role.COORDINATOR, Role.SUPERVISOR}) {
            var account = accounts.create(role);
            var session = accounts.signIn(account);

            var list = mvc.perform(get("/console/inbound-failed").session(session)).andReturn().getResponse();
            assertThat(list.getStatus()).as(role.name()).isEqualTo(403);
            assertThat(list.getContentAsString(StandardCharsets.UTF_8)).doesNotContain(">" + id + "<");
            assertThat(access.latest(1)).extracting(AccessRecord.Entry::actor, AccessRecord.Entry::action,
                    AccessRecord.Entry::subject, AccessRecord.Entry::outcome)
                    .containsExactly(tuple(account.id().value(), "inbound.failed.read", null, Outcome.REFUSED));

            for (var action : new String[] {"retry", "discard"}) {
                var response = mvc.perform(post("/console/inbound-failed/" + id + "/" + action).session(session)
                        .with(csrf())).andReturn().getResponse();
                assertThat(response.getStatus()).as(role + " " + action).isEqualTo(403);
                assertThat(access.latest(1)).extracting(AccessRecord.Entry::actor, AccessRecord.Entry::action,
                        AccessRecord.Entry::subject, AccessRecord.Entry::outcome)
                        .containsExactly(tuple(account.id().value(), "inbound.failed." + action, Long.toString(id),
                                Outcome.REFUSED));
            }
            assertThat(page(session, "/console/account/password"))
                    .as("no count for those who cannot act on it").doesNotContain("/console/inbound-failed");
        }
        assertThat(row(id)).isEqualTo("FAILED 5 DataIntegrityViolationException kept");
    }

    /** An update set aside after five attempts, handed over in {@code conversation} (or none); its id. */
    private long setAside(UUID conversation) {
        return SetAsideRows.insert(jdbc, BOT, transitKeys.today().value(), marker, conversation, clock.instant());
    }

    /** Its state, attempts, failure and whether its payload is there. */
    private String row(long id) {
        return jdbc.sql("select state, attempts, error_code, payload_enc from inbound_update where id = ?").param(id)
                .query((rs, n) -> rs.getString(1) + " " + rs.getInt(2) + " "
                        + (rs.getString(3) == null ? "-" : rs.getString(3)) + " "
                        + (rs.getBytes(4) == null ? "shredded" : "kept"))
                .single();
    }

    private String page(MockHttpSession session, String path) throws Exception {
        var response = mvc.perform(get(path).session(session)).andReturn().getResponse();
        assertThat(response.getStatus()).as(path).isEqualTo(200);
        return response.getContentAsString(StandardCharsets.UTF_8);
    }
}
