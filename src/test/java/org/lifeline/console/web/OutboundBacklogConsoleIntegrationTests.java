package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.Role;
import org.lifeline.testing.ConsoleTest;
import org.lifeline.testing.ManualClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The queue page tells operators how many replies wait to be sent per bot or number and how long they take to go
 * out at its rate, so that a reply slow to arrive during a surge is explained; nothing is shown when nothing waits.
 */
@ConsoleTest
class OutboundBacklogConsoleIntegrationTests {

    @Autowired
    MockMvc mvc;
    @Autowired
    OperatorAdministration administration;
    @Autowired
    ManualClock clock;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ConversationManagement conversations;

    private ConsoleAccounts accounts;

    @BeforeEach
    void accounts() {
        accounts = new ConsoleAccounts(mvc, administration, clock);
    }

    @Test
    void theQueueShowsRepliesWaitingPerEndpointAndTheirExpectedDrain() throws Exception {
        var session = accounts.signIn(accounts.create(Role.OPERATOR));
        var waiting = "select count(*) from outbox_message where channel = 'webchat' and endpoint = 'web' and state in ('PENDING', 'SENDING')";
        if (jdbc.sql(waiting).query(Long.class).single() == 0) {
            assertThat(page(session)).doesNotContain("Відповіді, що чекають на відправлення");
        }
        // a key for the rows (a contact's), and rows not due for a day, so the dispatcher leaves them alone
        conversations.findOrCreateContact("webchat", "backlog-" + UUID.randomUUID(), "uk");
        var key = jdbc.sql("select id from data_key fetch first 1 rows only").query(UUID.class).single();
        var later = clock.instant().plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC);
        var marker = "backlog-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 1200; i++) {
            jdbc.sql("""
                    insert into outbox_message (channel, endpoint, recipient_ref, reference, data_key_id, state,
                      not_before, created_at, last_error)
                    values ('webchat', 'web', ?, ?, ?, 'PENDING', ?, ?, ?)""")
                    .params(new byte[] {(byte) i, (byte) (i >> 8)}, UUID.randomUUID(), key, later, later, marker).update();
        }
        try {
            var count = jdbc.sql(waiting).query(Long.class).single();
            // web chat sends at most 1000 a second (no channel limit of its own)
            assertThat(page(session)).contains("Відповіді, що чекають на відправлення",
                    "web (webchat): " + count + ", приблизно " + count / 1000 + " с");
        } finally {
            jdbc.sql("delete from outbox_message where last_error = ?").param(marker).update();
        }
    }

    private String page(MockHttpSession session) throws Exception {
        return mvc.perform(get("/console").session(session)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }
}
