package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.privacy.DataProtection;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A forgotten requester takes with him the rows in transit that carry a keyed hash of his channel id: his settled raw
 * updates and the messages sent to him; another requester's stay, and so does what is still pending. The endpoint is
 * served by no node, so nothing but this test touches its rows.
 */
@PersistenceTest
@SpringBootTest(properties = "lifeline.background-work=false")
class ChannelErasureIntegrationTests {

    static final String BOT = "lifeline_erasure_bot";

    @Autowired
    ConversationManagement conversations;

    @Autowired
    ChannelRoutes routes;

    @Autowired
    Intake intake;

    @Autowired
    DataProtection protection;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void aForgottenRequestersSettledUpdatesAndSentMessagesGoWithHimAndNothingElse() {
        var chat = Long.toString(960_000_000L + System.nanoTime() % 1_000_000L);
        var other = chat + "1";
        var contact = conversations.findOrCreateContact("telegram", chat, "ru");
        var conversation = conversations.openOrResumeConversation(contact, "ru", null);
        routes.remember(conversation, "telegram", BOT);
        for (var sender : new String[] {chat, other}) {
            var refs = intake.refs("telegram", BOT, sender);
            for (var state : new String[] {"PROCESSED", "DROPPED", "FAILED", "PENDING"}) {
                inbound(refs.get(0), state);
            }
            for (var state : new String[] {"SENT", "FAILED", "PENDING"}) {
                outbox(refs.get(1), state);
            }
        }

        transactions.executeWithoutResult(tx -> conversations.forget(contact));

        var his = intake.refs("telegram", BOT, chat);
        assertThat(states("inbound_update", "sender_ref", his.get(0))).as("his raw updates: the pending one stays")
                .isEqualTo("PENDING");
        assertThat(states("outbox_message", "recipient_ref", his.get(1))).as("messages to him: the pending one stays")
                .isEqualTo("PENDING");
        var theirs = intake.refs("telegram", BOT, other);
        assertThat(states("inbound_update", "sender_ref", theirs.get(0))).as("another's")
                .isEqualTo("DROPPED,FAILED,PENDING,PROCESSED");
        assertThat(states("outbox_message", "recipient_ref", theirs.get(1))).as("another's")
                .isEqualTo("FAILED,PENDING,SENT");
    }

    private String states(String table, String column, byte[] ref) {
        return String.join(",", jdbc.sql("select state from " + table + " where endpoint = ? and " + column
                + " = ? order by state").params(BOT, ref).query(String.class).list());
    }

    private void inbound(byte[] senderRef, String state) {
        jdbc.sql("""
                        insert into inbound_update (channel, endpoint, idempotency_key, sender_ref, data_key_id, state,
                                                    received_at)
                        values ('telegram', ?, ?, ?, ?, ?, ?)""")
                .params(BOT, UUID.randomUUID().toString(), senderRef, protection.newDataKey().value(), state,
                        OffsetDateTime.now(ZoneOffset.UTC)).update();
    }

    private void outbox(byte[] recipientRef, String state) {
        jdbc.sql("""
                        insert into outbox_message (channel, endpoint, recipient_ref, reference, data_key_id, state,
                                                    not_before, created_at)
                        values ('telegram', ?, ?, ?, ?, ?, ?, ?)""")
                .params(BOT, recipientRef, UUID.randomUUID(), protection.newDataKey().value(), state,
                        OffsetDateTime.now(ZoneOffset.UTC), OffsetDateTime.now(ZoneOffset.UTC)).update();
    }
}
