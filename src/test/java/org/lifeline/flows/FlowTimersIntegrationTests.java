package org.lifeline.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.channels.InboundEvent;
import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.testing.ManualClock;
import org.lifeline.testing.ManualClockConfiguration;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The flow timers at scale: thousands of sessions waiting, more of them due in one pass than a batch holds. Background
 * work is off, so the passes run here, on a clock moved by hand, and reminders are sent (silently) so that each one
 * is a recorded outbound message to count.
 */
@PersistenceTest
@Tag("integration")
@Import(ManualClockConfiguration.class)
@SpringBootTest(properties = {"lifeline.background-work=false", "lifeline.flows.unsolicited-messages=silent"})
class FlowTimersIntegrationTests {

    static final String BOT = "lifeline_timers_bot";
    static final int GROUPS = 20;
    static final int PER_GROUP = 100;
    /** The main flow's {@code remind_after}. */
    static final Duration REMIND_AFTER = Duration.ofHours(2);

    @RegisterExtension
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.startQuick("7000000006:AAtimerstimerstimerstimerstimerst");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        telegram.register(registry, BOT, "timers-webhook-secret_0123456");
    }

    @Autowired
    FlowTimers timers;
    @Autowired
    FlowConversations flows;
    @Autowired
    ConversationManagement conversations;
    @Autowired
    ManualClock clock;
    @Autowired
    JdbcClient jdbc;

    record Waiting(ContactId contact, ConversationId conversation) {
    }

    @Test
    void remindsEveryDueSessionOnceInOnePassAndNoneBeforeItsTime() throws Exception {
        var start = clock.instant();
        var chats = 720_000_000L + (System.nanoTime() % 100_000_000L);
        // 2,000 sessions started a minute apart group by group: group g is due at start + g minutes + 2 h
        var groups = new ArrayList<List<Waiting>>();
        for (int g = 0; g < GROUPS; g++) {
            var first = chats + (long) g * PER_GROUP;
            groups.add(inParallel(IntStream.range(0, PER_GROUP).mapToObj(i -> (Callable<Waiting>) () -> startWaiting(first + i)).toList()));
            clock.advance(Duration.ofMinutes(1));
        }
        // three that would be due in the first pass answer an hour in: they wait afresh from then
        clock.advance(Duration.ofHours(1).minus(Duration.ofMinutes(GROUPS)));
        var answered = List.of(groups.get(0).get(5), groups.get(3).get(50), groups.get(6).get(99));
        for (var waiting : answered) {
            flows.on(new InboundEvent.TextReceived(waiting.contact(), waiting.conversation(), "en", "hello?"));
        }

        // the first pass at start + 2 h + 6.5 min: groups 0 to 6 are due, 700 sessions less the three that answered
        advanceTo(start.plus(REMIND_AFTER).plus(Duration.ofSeconds(6 * 60 + 30)));
        var before = outbound();
        var sent = timers.tickDue();
        var after = outbound();
        var dueNow = new HashSet<ConversationId>();
        groups.subList(0, 7).forEach(group -> group.forEach(w -> dueNow.add(w.conversation())));
        answered.forEach(w -> dueNow.remove(w.conversation()));
        assertThat(dueNow).as("more than a pass read before (500), more than a batch").hasSize(697)
                .hasSizeGreaterThan(500).hasSizeGreaterThan(FlowTimers.BATCH);
        // (other test classes' sessions in the shared database may be due too)
        assertThat(sent).as("a reminder for each due session").isGreaterThanOrEqualTo(697);
        for (var group : groups) {
            for (var waiting : group) {
                var conversation = waiting.conversation();
                assertThat(after.get(conversation) - before.get(conversation))
                        .as(dueNow.contains(conversation) ? "a due session, reminded once" : "a session not yet due")
                        .isEqualTo(dueNow.contains(conversation) ? 1 : 0);
            }
        }

        assertThat(timers.tickDue()).as("a second pass at the same time finds nothing due").isZero();
        assertThat(outbound()).isEqualTo(after);

        // then two nodes' passes at once, when every group is due: each of the others reminded once, by one of them
        advanceTo(start.plus(REMIND_AFTER).plus(Duration.ofMinutes(GROUPS + 5)));
        var sentByTwo = inParallel(List.<Callable<Integer>>of(timers::tickDue, timers::tickDue));
        var last = outbound();
        assertThat(sentByTwo.get(0) + sentByTwo.get(1)).isGreaterThanOrEqualTo(GROUPS * PER_GROUP - 700);
        for (var group : groups) {
            for (var waiting : group) {
                var conversation = waiting.conversation();
                var second = dueNow.contains(conversation) || answered.contains(waiting) ? 0 : 1;
                assertThat(last.get(conversation) - after.get(conversation)).isEqualTo(second);
            }
        }
        // the three that answered at start + 1 h are due at start + 3 h
        advanceTo(start.plus(Duration.ofHours(3)));
        timers.tickDue();
        var third = outbound();
        for (var waiting : answered) {
            assertThat(third.get(waiting.conversation()) - last.get(waiting.conversation())).isEqualTo(1);
        }
    }

    @Test
    void aSessionWhoseDueTimeWasNotKnownIsScheduledWithoutBeingTouched() throws Exception {
        var waiting = startWaiting(730_000_000L + (System.nanoTime() % 100_000_000L));
        var conversation = waiting.conversation().value();
        var stored = dueAt(conversation);
        var updated = jdbc.sql("select updated_at from flow_session where conversation_id = ?").param(conversation)
                .query(java.time.OffsetDateTime.class).single();
        // as V250 leaves a session that waited before due times were kept: due at once
        jdbc.sql("update flow_session set due_at = updated_at where conversation_id = ?").param(conversation).update();
        clock.advance(Duration.ofMinutes(5));
        var before = outbound().get(waiting.conversation());

        timers.tickDue();

        assertThat(outbound().get(waiting.conversation())).as("nothing said").isEqualTo(before);
        assertThat(dueAt(conversation)).as("its real due time").isEqualTo(stored).isEqualTo(updated.toInstant().plus(REMIND_AFTER));
        assertThat(jdbc.sql("select updated_at from flow_session where conversation_id = ?").param(conversation)
                .query(java.time.OffsetDateTime.class).single().toInstant()).as("untouched").isEqualTo(updated.toInstant());
    }

    /** A Telegram chat that wrote /start and was asked the menu's question, the answer to which he never gave. */
    private Waiting startWaiting(long chat) {
        var contact = conversations.findOrCreateContact("telegram", Long.toString(chat), "en");
        var conversation = conversations.openOrResumeConversation(contact, "en", null);
        jdbc.sql("insert into channel_route (conversation_id, channel, endpoint) values (?, 'telegram', ?)")
                .params(conversation.value(), BOT).update();
        flows.on(new InboundEvent.Started(contact, conversation, "en", null));
        return new Waiting(contact, conversation);
    }

    private Instant dueAt(UUID conversation) {
        return jdbc.sql("select due_at from flow_session where conversation_id = ?").param(conversation)
                .query(java.time.OffsetDateTime.class).single().toInstant();
    }

    private void advanceTo(Instant instant) {
        clock.advance(Duration.between(clock.instant(), instant));
    }

    /** Outbound messages recorded, by conversation. */
    private Map<ConversationId, Long> outbound() {
        var counts = new HashMap<ConversationId, Long>();
        jdbc.sql("select conversation_id, count(*) from message where direction = 'OUTBOUND' group by conversation_id")
                .query(rs -> {
                    counts.put(new ConversationId(rs.getObject(1, UUID.class)), rs.getLong(2));
                });
        return counts;
    }

    private static <T> List<T> inParallel(List<Callable<T>> tasks) throws Exception {
        try (var executor = Executors.newFixedThreadPool(4)) {
            var results = new ArrayList<T>();
            for (var future : executor.invokeAll(tasks)) {
                results.add(future.get());
            }
            return results;
        }
    }
}
