package org.lifeline.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.lifeline.cases.CaseId;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.CloseReason;
import org.lifeline.cases.lifecycle.StatusChange;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.MessageId;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.testing.ManualClock;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retention with a clock moved by hand. The clock starts long before every other test's data, so that what this
 * test makes old is the only old data there is; everything it makes is rolled back at the end.
 * <p>
 * Every kind keeps 10 days. Set A is made at day 0, noon; set B at day 9, 10:00; set C at day 10, 14:00; the run
 * is at day 20, noon: A and B (older than 10 days by 2 hours and more) go, C (2 hours short) stays, and so does
 * what is never due (open cases, pending updates and messages).
 */
@SpringBootTest(properties = {
        "lifeline.background-work=false",
        "lifeline.retention.periods.closed-cases=10d",
        "lifeline.retention.periods.abandoned-intakes=10d",
        "lifeline.retention.periods.webchat-sessions=10d",
        "lifeline.retention.periods.inbound-updates=10d",
        "lifeline.retention.periods.flood-drops=10d",
        "lifeline.retention.periods.sent-outbox=10d",
        "lifeline.retention.periods.attachments=10d",
        "lifeline.retention.periods.transit-keys=10d",
        "lifeline.retention.periods.access-record=10d",
        "lifeline.retention.periods.answer-marks=10d",
        "lifeline.retention.periods.quiet-contacts=10d"})
@PersistenceTest
class RetentionIntegrationTests {

    static final Instant DAY_0 = Instant.now().minus(Duration.ofDays(1000)).truncatedTo(ChronoUnit.DAYS)
            .plus(Duration.ofHours(12));

    @TestConfiguration(proxyBeanMethods = false)
    static class LongAgo {
        @Bean
        @Primary
        ManualClock pastClock() {
            return new ManualClock(DAY_0);
        }
    }

    @Autowired
    ManualClock clock;

    @Autowired
    Retention retention;

    @Autowired
    RetentionSchedule schedule;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    @Autowired
    DataProtection protection;

    @Autowired
    AccessRecord access;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    /** What one set made, by id. */
    record Made(String label, ConversationId conversation, MessageId attachment, CaseId closedCase, CaseId openCase,
            byte[] session, long processed, long dropped, long pending, long sent, long queued, LocalDate day,
            long accessSeq, ConversationId answered) {
    }

    @Test
    void removesExactlyWhatIsDueAndNothingElse() {
        var transactions = new TransactionTemplate(transactionManager);
        transactions.executeWithoutResult(tx -> {
            // the access record starts afresh in this transaction: its chain then holds only this test's entries
            jdbc.sql("delete from access_log").update();
            jdbc.sql("update access_log_head set seq = 0, entry_hash = ?, checkpoint_seq = 0, checkpoint_hash = ?, "
                    + "legacy_until_id = 0 where id = 1").params("0".repeat(64), "0".repeat(64)).update();

            moveTo(DAY_0);
            var a = make("A");
            moveTo(DAY_0.plus(Duration.ofDays(9)).minus(Duration.ofHours(2)));
            var b = make("B");
            moveTo(DAY_0.plus(Duration.ofDays(10)).plus(Duration.ofHours(2)));
            var c = make("C");
            moveTo(DAY_0.plus(Duration.ofDays(20)));

            var dryRun = counts(retention.run(true));
            assertThat(dryRun).as("dry run").containsExactlyInAnyOrderEntriesOf(expected());
            assertPresent(a, true);
            assertPresent(b, true);

            var run = counts(retention.run(false));

            assertThat(run).containsExactlyInAnyOrderEntriesOf(expected());
            assertPresent(a, false);
            assertPresent(b, false);
            assertPresent(c, true);
            assertThat(access.verify(null).problem()).as("the chain verifies from its checkpoint").isNull();
            assertThat(jdbc.sql("select checkpoint_seq from access_log_head").query(Long.class).single())
                    .isEqualTo(b.accessSeq());
            assertThat(jdbc.sql("""
                            select sum(removed) from retention_tally
                            where kind = 'closed-cases' and subject = 'SURRENDER_REQUEST/CLOSED/WITHDRAWN'
                              and active_month >= ?""").param(a.day().withDayOfMonth(1))
                    .query(Long.class).single()).as("anonymous count of the cases removed").isEqualTo(2);
            assertThat(counts(retention.run(false)).values()).as("a second run finds nothing").containsOnly(0L);
            tx.setRollbackOnly();
        });
    }

    /**
     * A closed case goes a period after it was closed, whatever is tried on it since: a claim (refused now; it used to
     * be taken, and moved the date retention counted from) and the erasure of its requester.
     */
    @Test
    void aClosedCaseGoesAPeriodAfterItsClosingWhateverIsDoneWithItSince() {
        new TransactionTemplate(transactionManager).executeWithoutResult(tx -> {
            moveTo(DAY_0);
            var contact = conversations.findOrCreateContact("telegram", "retention-" + UUID.randomUUID(), "ru");
            var conversation = conversations.openOrResumeConversation(contact, null, null);
            var opened = cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation, Map.of("unit", "3"), "flow");
            var closed = cases.transition(opened.id(), StatusChange.close(CloseReason.LOST_CONTACT), null, "flow",
                    opened.version());

            moveTo(DAY_0.plus(Duration.ofDays(9)));
            try {
                cases.assign(closed.id(), "insider", closed.version());
            } catch (RuntimeException refused) {
                // refused: nothing changes on a closed case but its status, as its lifecycle allows
            }
            conversations.forget(contact);

            moveTo(DAY_0.plus(Duration.ofDays(12)));
            retention.run(false);

            assertThat(cases.find(closed.id())).as("closed 12 days ago, kept 10").isEmpty();
            tx.setRollbackOnly();
        });
    }

    /** Reopened, a case is not due; closed again, it counts from that closing. */
    @Test
    void aReopenedCaseCountsFromItsLatestClosing() {
        new TransactionTemplate(transactionManager).executeWithoutResult(tx -> {
            moveTo(DAY_0);
            var opened = cases.open(CaseKind.SURRENDER_REQUEST, null, null, Map.of("unit", "3"), "flow");
            var lost = cases.transition(opened.id(), StatusChange.close(CloseReason.LOST_CONTACT), null, "flow", 0);
            moveTo(DAY_0.plus(Duration.ofDays(11)));
            var back = cases.transition(lost.id(), StatusChange.to(CaseStatus.IN_CONTACT), null, "flow",
                    lost.version());

            moveTo(DAY_0.plus(Duration.ofDays(12)));
            retention.run(false);
            assertThat(cases.find(back.id())).as("open again").isPresent();

            cases.transition(back.id(), StatusChange.close(CloseReason.WITHDRAWN), null, "flow", back.version());
            moveTo(DAY_0.plus(Duration.ofDays(21)));
            retention.run(false);
            assertThat(cases.find(back.id())).as("closed again 9 days ago, kept 10").isPresent();
            moveTo(DAY_0.plus(Duration.ofDays(23)));
            retention.run(false);
            assertThat(cases.find(back.id())).as("closed again 11 days ago").isEmpty();
            tx.setRollbackOnly();
        });
    }

    @Test
    void theDailyRunHappensOnceADayHoweverManyNodesAsk() throws Exception {
        jdbc.sql("update daily_job set last_run_on = null where name = 'retention'").update();
        var nodes = Executors.newFixedThreadPool(4);
        try {
            var asks = new ArrayList<Callable<Boolean>>();
            for (int i = 0; i < 4; i++) {
                asks.add(retention::claimToday);
            }
            var claimed = nodes.invokeAll(asks).stream().filter(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).count();
            assertThat(claimed).isOne();
        } finally {
            nodes.shutdownNow();
        }
        assertThat(schedule.runIfDue()).as("claimed already today").isFalse();
        moveTo(clock.instant().plus(Duration.ofDays(1)));
        assertThat(schedule.runIfDue()).as("the next day").isTrue();
        assertThat(schedule.runIfDue()).isFalse();
    }

    private Map<String, Long> expected() {
        var expected = new java.util.HashMap<String, Long>();
        for (var kind : List.of("closed-cases", "abandoned-intakes", "webchat-sessions", "inbound-updates",
                "flood-drops", "sent-outbox", "attachments", "transit-keys", "access-record", "answer-marks",
                "quiet-contacts")) {
            expected.put(kind, 2L);
        }
        return expected;
    }

    private static Map<String, Long> counts(List<Retention.Purged> results) {
        return results.stream().collect(Collectors.toMap(Retention.Purged::kind, Retention.Purged::removed));
    }

    private void moveTo(Instant instant) {
        clock.advance(Duration.between(clock.instant(), instant));
    }

    private Made make(String label) {
        var contact = conversations.findOrCreateContact("telegram", "retention-" + UUID.randomUUID(), "ru");
        var conversation = conversations.openOrResumeConversation(contact, null, null);
        var message = conversations.recordInbound(conversation, "фото " + label, null);
        conversations.attach(message, "image/jpeg", new byte[] {1, 2, 3});
        var closed = cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation, Map.of("set", label), "flow");
        cases.transition(closed.id(), StatusChange.close(CloseReason.WITHDRAWN), null, "flow", closed.version());
        var open = cases.open(CaseKind.FAMILY_INQUIRY, contact, null, Map.of("set", label), "flow");
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        var sessionKey = protection.newDataKey();
        jdbc.sql("""
                        insert into flow_session (conversation_id, data_key_id, state_enc, status, updated_at)
                        values (?, ?, ?, 'ACTIVE', ?)""")
                .params(conversation.value(), sessionKey.value(), new byte[] {1}, now).update();
        var token = UUID.randomUUID().toString().getBytes();
        jdbc.sql("""
                        insert into webchat_session (token_ref, identity_ref, created_at, last_seen_at)
                        values (?, ?, ?, ?)""").params(token, token, now, now).update();
        var day = clock.instant().atOffset(ZoneOffset.UTC).toLocalDate();
        var dayKey = protection.newDataKey();
        jdbc.sql("insert into transit_key (valid_on, data_key_id) values (?, ?)").params(day, dayKey.value()).update();
        // pending work has its own key: a day whose key still has work pending is not shredded
        var pendingKey = protection.newDataKey();
        access.record(null, "case.read", closed.id().value().toString(), Outcome.SUCCEEDED);
        var accessSeq = Long.parseLong(access.head().split(":")[0]);
        // an operator's first answer in a conversation of its own, whose contact has no case: once quiet for the
        // period, he is forgotten
        var answered = conversations.openOrResumeConversation(
                conversations.findOrCreateContact("telegram", "retention-" + UUID.randomUUID(), "ru"), null, null);
        conversations.recordInbound(answered, "питання " + label, null);
        jdbc.sql("insert into report_answered (conversation_id, answered_at) values (?, ?)")
                .params(answered.value(), now).update();
        return new Made(label, conversation, message, closed.id(), open.id(), token,
                inbound("PROCESSED", dayKey), inbound("DROPPED", dayKey), inbound("PENDING", pendingKey),
                outbox("SENT", dayKey), outbox("PENDING", pendingKey), day, accessSeq, answered);
    }

    private long inbound(String state, DataKeyId key) {
        jdbc.sql("""
                        insert into inbound_update (channel, endpoint, idempotency_key, sender_ref, data_key_id, state,
                                                    received_at)
                        values ('telegram', 'retention_bot', ?, ?, ?, ?, ?)""")
                .params(UUID.randomUUID().toString(), new byte[] {7}, key.value(), state,
                        clock.instant().atOffset(ZoneOffset.UTC)).update();
        return jdbc.sql("select max(id) from inbound_update").query(Long.class).single();
    }

    private long outbox(String state, DataKeyId key) {
        jdbc.sql("""
                        insert into outbox_message (channel, endpoint, recipient_ref, reference, data_key_id, state,
                                                    not_before, created_at)
                        values ('telegram', 'retention_bot', ?, ?, ?, ?, ?, ?)""")
                .params(new byte[] {7}, UUID.randomUUID(), key.value(), state,
                        clock.instant().atOffset(ZoneOffset.UTC), clock.instant().atOffset(ZoneOffset.UTC)).update();
        return jdbc.sql("select max(id) from outbox_message").query(Long.class).single();
    }

    private void assertPresent(Made set, boolean present) {
        var what = "set " + set.label() + (present ? " kept" : " removed");
        assertThat(cases.find(set.closedCase())).as(what + ": closed case").matches(o -> o.isPresent() == present);
        assertThat(conversations.attachment(set.attachment())).as(what + ": attachment")
                .matches(o -> o.isPresent() == present);
        assertThat(count("flow_session where conversation_id = ?", set.conversation().value()))
                .as(what + ": abandoned intake").isEqualTo(present ? 1 : 0);
        assertThat(count("webchat_session where token_ref = ?", set.session())).as(what + ": web chat session")
                .isEqualTo(present ? 1 : 0);
        assertThat(count("inbound_update where id in (?, ?)", set.processed(), set.dropped()))
                .as(what + ": raw update and flood drop").isEqualTo(present ? 2 : 0);
        assertThat(count("outbox_message where id = ?", set.sent())).as(what + ": sent outbox row")
                .isEqualTo(present ? 1 : 0);
        assertThat(count("transit_key where valid_on = ?", set.day())).as(what + ": day key")
                .isEqualTo(present ? 1 : 0);
        assertThat(count("access_log where seq = ?", set.accessSeq())).as(what + ": access-record entry")
                .isEqualTo(present ? 1 : 0);
        assertThat(count("report_answered where conversation_id = ?", set.answered().value()))
                .as(what + ": answer mark").isEqualTo(present ? 1 : 0);
        assertThat(conversations.transcript(set.answered())).as(what + ": a quiet contact without a case")
                .singleElement().matches(message -> (message.content() != null) == present);
        assertThat(count("contact where forgotten_at is not null and external_ref is null and id = "
                + "(select contact_id from conversation where id = ?)", set.answered().value()))
                .as(what + ": a quiet contact's link to his channel id").isEqualTo(present ? 0 : 1);
        // never due, whatever their age
        assertThat(cases.find(set.openCase())).as(set.label() + ": open case").isPresent();
        assertThat(conversations.transcript(set.conversation())).as(set.label() + ": messages, kept by an open case")
                .singleElement().matches(message -> message.content() != null);
        assertThat(count("inbound_update where id = ?", set.pending())).as(set.label() + ": pending update")
                .isEqualTo(1);
        assertThat(count("outbox_message where id = ?", set.queued())).as(set.label() + ": queued message")
                .isEqualTo(1);
    }

    private long count(String from, Object... params) {
        return jdbc.sql("select count(*) from " + from).params(params).query(Long.class).single();
    }
}
