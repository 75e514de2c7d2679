package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.testing.PersistenceTest;
import org.lifeline.testing.SeveralBotsApi;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;

/**
 * Sends to a bot overlap (several calls in flight at once, as a 100 ms round trip needs for a bot to reach its
 * rate), and still each chat gets its messages in the order they were queued, never two closer than its limit, and
 * Telegram never answers 429. Two bots at once, each with its own calls in flight. Not timed: the spacing asserted is
 * a lower bound the dispatcher must keep however slow the machine.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "lifeline.telegram.per-chat-per-second=4", "lifeline.telegram.per-bot-per-second=28"})
class ConcurrentDispatchTests {

    static final String[] BOTS = {"lifeline_pipeline_bot_a", "lifeline_pipeline_bot_b"};
    static final String[] TOKENS = {"7000000101:AApipelinetokenpipelinetokenaa", "7000000102:AApipelinetokenpipelinetokenbb"};
    static final Duration CHAT_GAP = Duration.ofMillis(250);
    static final int CHATS = 6;
    static final String[] TEXTS = {"m1", "m2", "m3", "m4", "m5"};

    static final SeveralBotsApi telegram = new SeveralBotsApi(30, CHAT_GAP);

    @DynamicPropertySource
    static void telegramProperties(DynamicPropertyRegistry registry) {
        registry.add("lifeline.telegram.api-url", () -> telegram.url().toString());
        for (int i = 0; i < BOTS.length; i++) {
            var bot = i;
            registry.add("lifeline.telegram.bots[" + i + "].username", () -> BOTS[bot]);
            registry.add("lifeline.telegram.bots[" + i + "].token", () -> TOKENS[bot]);
            registry.add("lifeline.telegram.bots[" + i + "].webhook-secret", () -> "pipeline-webhook-secret_" + bot);
        }
    }

    @AfterAll
    static void stopFake() {
        telegram.close();
    }

    /**
     * Counts the commits made on the outbox's own threads: the Telegram dispatchers' and their calls' (each call runs
     * on a virtual thread of its own). Spring Boot hands every such listener to the transaction manager.
     */
    @TestConfiguration
    static class OutboxCommits implements TransactionExecutionListener {

        final AtomicInteger made = new AtomicInteger();

        @Override
        public void afterCommit(TransactionExecution transaction, Throwable failure) {
            var thread = Thread.currentThread();
            if (failure == null && (thread.isVirtual() || thread.getName().startsWith("outbox-telegram"))) {
                made.incrementAndGet();
            }
        }
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    OutboxCommits commits;

    @Autowired
    JdbcClient jdbc;

    @Test
    void eachChatGetsItsMessagesInOrderAndSpacedWhileSeveralCallsAreInFlight() {
        telegram.roundTrip(Duration.ofMillis(100));
        var load = new OutboxLoad(context);
        var base = 910_000_000L + System.nanoTime() % 1_000_000L * 100;
        for (int i = 0; i < BOTS.length; i++) {
            load.queueTelegram(BOTS[i], LongStream.range(0, CHATS).map(c -> base + c).toArray(), TEXTS);
        }
        var expected = BOTS.length * CHATS * TEXTS.length;

        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> telegram.sends().stream()
                        .filter(s -> s.status() == 200 && s.chat() >= base && s.chat() < base + CHATS).count() >= expected);

        var sends = telegram.sends().stream().filter(send -> send.chat() >= base && send.chat() < base + CHATS).toList();
        assertThat(sends).as("429s").noneMatch(send -> send.status() == 429);
        assertThat(sends).hasSize(expected);
        var perChat = new LinkedHashMap<String, List<SeveralBotsApi.Send>>();
        sends.forEach(send -> perChat.computeIfAbsent(send.token() + ":" + send.chat(), k -> new ArrayList<>()).add(send));
        assertThat(perChat).hasSize(BOTS.length * CHATS);
        for (var chat : perChat.values()) {
            assertThat(chat).extracting(SeveralBotsApi.Send::text).as("order in a chat").containsExactly(TEXTS);
            for (int i = 1; i < chat.size(); i++) {
                assertThat(chat.get(i).arrivedNanos() - chat.get(i - 1).arrivedNanos()).as("spacing in a chat")
                        .isGreaterThanOrEqualTo(CHAT_GAP.toNanos());
            }
        }
        for (var token : TOKENS) {
            // one call at a time would never have two of a bot's calls at the fake at once
            assertThat(telegram.maxInFlight(token)).as("calls of one bot in flight at once").isGreaterThan(1);
        }
        // recorded once the answers are back, a moment after the fake counted them
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            for (var bot : BOTS) {
                assertThat(jdbc.sql("select count(*) from outbox_message where channel = 'telegram' and endpoint = ? and state <> 'SENT'")
                        .param(bot).query(Long.class).single()).as("settled as sent").isZero();
            }
        });
    }

    @Test
    void repliesInAConversationGoBeforeNoticesButNeverOvertakeAnEarlierMessageToTheSameChat() {
        telegram.roundTrip(Duration.ofMillis(100));
        var load = new OutboxLoad(context);
        var bot = BOTS[1];
        var base = 940_000_000L + System.nanoTime() % 1_000_000L * 100;
        var noticed = LongStream.range(0, 10).map(c -> base + c).toArray();
        var both = base + 50;
        var replied = LongStream.range(60, 70).map(c -> base + c).toArray();
        var firstId = jdbc.sql("select coalesce(max(id), 0) from outbox_message").query(Long.class).single();
        // held while everything is queued, so that the dispatcher chooses among all of it at once; lifted once all
        // of it is queued (a pause of a few seconds ran out before the replies were queued on a loaded machine)
        jdbc.sql("update channel_endpoint set paused_until = ? where channel = 'telegram' and endpoint = ?")
                .params(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusHours(1), bot).update();
        load.queueTelegram(bot, true, noticed, "notice");
        load.queueTelegram(bot, true, new long[] {both}, "notice-first");
        load.queueTelegram(bot, false, new long[] {both}, "reply-second");
        load.queueTelegram(bot, false, replied, "reply");
        jdbc.sql("update channel_endpoint set paused_until = null where channel = 'telegram' and endpoint = ?")
                .param(bot).update();

        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> jdbc.sql("select count(*) from outbox_message where endpoint = ? and id > ? and state = 'SENT'")
                        .params(bot, firstId).query(Long.class).single() == 22);

        var claimed = jdbc.sql("select priority from outbox_message where endpoint = ? and id > ? order by claimed_at, id")
                .params(bot, firstId).query(Integer.class).list();
        assertThat(claimed.subList(0, replied.length)).as("the replies claimed first").containsOnly(OutboxMessages.CONVERSATION);
        var toBoth = telegram.sends().stream().filter(send -> send.chat() == both).map(SeveralBotsApi.Send::text).toList();
        assertThat(toBoth).as("a notice queued earlier is not overtaken by a reply to the same chat")
                .containsExactly("notice-first", "reply-second");
    }

    @Test
    void underABacklogTheAnswersAreRecordedWithTheNextClaimsNotEachInATransactionOfItsOwn() {
        telegram.roundTrip(Duration.ZERO);
        var bot = BOTS[0];
        var base = 960_000_000L + System.nanoTime() % 1_000_000L * 100;
        var chats = LongStream.range(0, 48).map(c -> base + c).toArray();
        var firstId = jdbc.sql("select coalesce(max(id), 0) from outbox_message").query(Long.class).single();
        // held while it is queued, so that the dispatcher finds the whole backlog at once
        jdbc.sql("update channel_endpoint set paused_until = ? where channel = 'telegram' and endpoint = ?")
                .params(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusHours(1), bot).update();
        new OutboxLoad(context).queueTelegram(bot, false, chats, "backlog");
        var before = commits.made.get();
        jdbc.sql("update channel_endpoint set paused_until = null where channel = 'telegram' and endpoint = ?")
                .param(bot).update();

        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> jdbc.sql("select count(*) from outbox_message where endpoint = ? and id > ? and state = 'SENT'")
                        .params(bot, firstId).query(Long.class).single() == chats.length);

        // one a message and one a claim were 54 or more; a claim that records what came back since the one before
        // takes several each (at 28 a second, eight slots, answers back at once: about seven), and the last are
        // recorded when nothing more is due
        assertThat(commits.made.get() - before).as("commits on the outbox's threads for %d messages", chats.length)
                .isPositive().isLessThanOrEqualTo(chats.length / 3);
        assertThat(telegram.sends().stream().filter(send -> send.chat() >= base && send.chat() < base + chats.length)
                .map(SeveralBotsApi.Send::text)).hasSize(chats.length).containsOnly("backlog");
    }

    @Test
    void nothingIsDueWhileTheEndpointIsPausedInTheDatabaseThoughThisNodeHasNotHeardOfThePause() {
        // an endpoint no adapter sends for, so that nothing but this test reads its messages
        var endpoint = "lifeline_held_bot_" + System.nanoTime() % 1_000_000_000L;
        var messages = context.getBean(OutboxMessages.class);
        var chats = LongStream.range(0, 3).map(c -> 950_000_000L + c).toArray();
        jdbc.sql("insert into channel_endpoint (channel, endpoint, paused_until) values ('telegram', ?, ?)")
                .params(endpoint, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusHours(1)).update();
        try {
            new OutboxLoad(context).queueTelegram(endpoint, false, chats, "held");
            assertThat(messages.due("telegram", endpoint, 100)).as("due while paused").isEmpty();

            jdbc.sql("update channel_endpoint set paused_until = ? where channel = 'telegram' and endpoint = ?")
                    .params(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusSeconds(1), endpoint).update();
            assertThat(messages.due("telegram", endpoint, 100)).as("due once the pause has passed").hasSize(chats.length);
        } finally {
            jdbc.sql("delete from outbox_message where channel = 'telegram' and endpoint = ?").param(endpoint).update();
            jdbc.sql("delete from channel_endpoint where channel = 'telegram' and endpoint = ?").param(endpoint).update();
        }
    }
}
