package org.lifeline.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.channels.ChannelGateway;
import org.lifeline.channels.InboundEvent;
import org.lifeline.channels.InboundEventHandler;
import org.lifeline.channels.SetAsideUpdates;
import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.ConversationStatus;
import org.lifeline.conversations.Direction;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.telegram.PrivateChatUpdates;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * An update that fails outside the flow engine (the database refusing what it causes, a bug in the conversation code,
 * the database going away) on Telegram end to end: after its last attempt he is handed to an operator and told so;
 * a database that goes away loses nothing, whether it fails the update or the handover. The failures come from the
 * conversation driver standing in front of the real one, by the text he sends; and from a flow engine that breaks
 * (a step failing inside it), whose handover must not wait on a notice the outbox refuses.
 */
@PersistenceTest
@Tag("integration")
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SetAsideUpdateIntegrationTests {

    static final String BOT = "lifeline_setaside_bot";
    static final String TOKEN = "7000000314:AAsetasidetokensetasidetoken";
    static final String SECRET = "setaside-webhook-secret_012345";
    @RegisterExtension
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.startQuick(TOKEN);
    static final long CHAT = 710_000_000L + (System.nanoTime() % 100_000_000L);

    /** Texts that fail as a constraint violation would (a database error the update causes), on every attempt. */
    static final String REFUSED = "отказ";
    /** Texts that fail as a bug would, on every attempt. */
    static final String BUG = "ошибка";
    /** Texts that fail as a database gone away would, while {@link #databaseDown}. */
    static final String OUTAGE = "нет связи";
    /** While set, the handover after a last attempt, and texts starting with {@link #OUTAGE}, fail: no database. */
    static volatile boolean databaseDown;
    /** Texts that fail as a bug would while {@link #mended} is false, and go through once it is. */
    static final String FLAKY = "сбой";
    static volatile boolean mended;
    /** While set, the outbox refuses everything it is given: the notice of a handover among it. */
    static volatile boolean outboxRefuses;
    /** While set, the outbox queues what it is given and then refuses it, as it does a part the channel refuses. */
    static volatile boolean outboxRefusesAfterQueuing;
    /** While set, the flow engine breaks: its clock throws, standing for any bug or flow problem validation missed. */
    static volatile boolean engineBroken;
    static final AtomicInteger outageAttempts = new AtomicInteger();
    static final AtomicInteger handovers = new AtomicInteger();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        telegram.register(registry, BOT, SECRET);
        // attempts spaced by a few milliseconds: the test waits for the last one, not the minutes a service would
        registry.add("lifeline.channels.inbound-retry-after", () -> "10ms");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class FailingDriver {
        @Bean
        @Primary
        InboundEventHandler failing(FlowConversations flows) {
            return new InboundEventHandler() {
                @Override
                public void on(InboundEvent event) {
                    var text = event instanceof InboundEvent.TextReceived received ? received.text() : "";
                    if (text.startsWith(REFUSED)) {
                        throw new DataIntegrityViolationException("violates a constraint with " + text);
                    }
                    if (text.startsWith(FLAKY) && !mended) {
                        throw new IllegalStateException("a bug quoting " + text);
                    }
                    if (text.startsWith(BUG)) {
                        throw new IllegalStateException("a bug quoting " + text);
                    }
                    if (text.startsWith(OUTAGE) && databaseDown) {
                        outageAttempts.incrementAndGet();
                        throw new CannotGetJdbcConnectionException("no connection while " + text);
                    }
                    flows.on(event);
                }

                @Override
                public void onSetAside(ContactId contact, ConversationId conversation, String languageHint) {
                    handovers.incrementAndGet();
                    if (databaseDown) {
                        throw new CannotGetJdbcConnectionException("no connection");
                    }
                    flows.onSetAside(contact, conversation, languageHint);
                }
            };
        }

        /**
         * The outbox, refusing while {@link #outboxRefuses}, as it does a conversation it has no route for, and while
         * {@link #outboxRefusesAfterQueuing} once it has queued what it was given, its refusal passing a transaction's
         * boundary as the outbox's own does.
         */
        @Bean
        @Primary
        ChannelGateway refusing(@Qualifier("outbox") ChannelGateway outbox, PlatformTransactionManager transactions) {
            var joined = new TransactionTemplate(transactions);
            return (conversation, contents) -> {
                if (outboxRefuses) {
                    throw new IllegalStateException("Conversation " + conversation.value() + " has no channel route");
                }
                if (outboxRefusesAfterQueuing) {
                    joined.executeWithoutResult(status -> {
                        outbox.send(conversation, contents);
                        throw new IllegalStateException("The channel refuses a part for " + conversation.value());
                    });
                }
                return outbox.send(conversation, contents);
            };
        }

        @Bean
        @Primary
        FlowCatalog breaking(FlowsSettings settings, Clock clock) {
            return new BreakableFlowCatalog(settings, clock, () -> engineBroken, "a broken step");
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SetAsideUpdates setAsideUpdates;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anUpdateThatFailsOnEveryAttemptHandsHimToAnOperatorAndTellsHim(CapturedOutput output) throws Exception {
        var chat = CHAT + 1;
        var ivan = started(chat);
        var before = repliesTo(chat).size();

        var failing = ivan.text(REFUSED + " 여보십시오");
        send(failing);

        assertThat(telegram.awaitCalls(calls -> repliesTo(chat).size() > before, Duration.ofSeconds(30)))
                .as("he is told that a person takes over").isTrue();
        assertThat(repliesTo(chat).getLast().body().path("text").asString()).startsWith("Передаю разговор оператору");
        assertThat(conversations.conversation(conversation(chat)).status()).isEqualTo(ConversationStatus.HANDED_OVER);
        assertThat(update(failing)).as("set aside after its attempts, what it says kept for an admin")
                .isEqualTo("FAILED after 5, payload kept");
        var id = jdbc.sql("select id from inbound_update where endpoint = ? and idempotency_key = ?")
                .params(BOT, failing.get("update_id").asString()).query(Long.class).single();
        assertThat(output.getAll()).contains("Inbound update " + id + " failed on its last attempt (DataIntegrityViolationException)")
                .doesNotContain("여보십시오").doesNotContain("violates a constraint");
    }

    @Test
    void aHandoverThatFailsOnTheDatabaseSetsNothingAsideAndIsTriedAgain() throws Exception {
        var chat = CHAT + 2;
        started(chat);
        var before = repliesTo(chat).size();
        var failing = new PrivateChatUpdates(chat, "Иван", "ru").text(BUG + " 2");
        var handoversBefore = handovers.get();

        databaseDown = true;
        try {
            send(failing);
            await().atMost(Duration.ofSeconds(30)).until(() -> handovers.get() >= handoversBefore + 3);
            assertThat(update(failing)).as("pending, its last attempt not counted").isEqualTo("PENDING after 4, payload kept");
            assertThat(conversations.conversation(conversation(chat)).status()).isEqualTo(ConversationStatus.OPEN);
        } finally {
            databaseDown = false;
        }

        assertThat(telegram.awaitCalls(calls -> repliesTo(chat).size() > before, Duration.ofSeconds(30)))
                .as("told once the database is back").isTrue();
        assertThat(repliesTo(chat).getLast().body().path("text").asString()).startsWith("Передаю разговор оператору");
        assertThat(conversations.conversation(conversation(chat)).status()).isEqualTo(ConversationStatus.HANDED_OVER);
        assertThat(update(failing)).isEqualTo("FAILED after 5, payload kept");
    }

    @Test
    void aDatabaseThatGoesAwayIsNotCountedAsAttemptsAndLosesNothing() throws Exception {
        var chat = CHAT + 3;
        started(chat);
        var before = repliesTo(chat).size();
        var waiting = new PrivateChatUpdates(chat, "Иван", "ru").text(OUTAGE + " 3");
        var attemptsBefore = outageAttempts.get();

        databaseDown = true;
        try {
            send(waiting);
            // twice the five attempts that set an update aside
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> outageAttempts.get() >= attemptsBefore + 10);
            assertThat(update(waiting)).as("still pending, no attempt counted").isEqualTo("PENDING after 0, payload kept");
        } finally {
            databaseDown = false;
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> update(waiting).startsWith("PROCESSED"));
        assertThat(telegram.awaitCalls(calls -> repliesTo(chat).size() > before, Duration.ofSeconds(30)))
                .as("the flow answers him").isTrue();
        assertThat(conversations.conversation(conversation(chat)).status()).isEqualTo(ConversationStatus.OPEN);
    }

    @Test
    void aHandoverWhoseNoticeTheOutboxRefusesStillHandsHimToAnOperatorAndSetsTheUpdateAside(CapturedOutput output)
            throws Exception {
        var chat = CHAT + 4;
        started(chat);
        var before = repliesTo(chat).size();
        var failing = new PrivateChatUpdates(chat, "Иван", "ru").text(BUG + " 4");

        outboxRefuses = true;
        try {
            send(failing);
            await().atMost(Duration.ofSeconds(30)).until(() -> update(failing).startsWith("FAILED"));
        } finally {
            outboxRefuses = false;
        }

        assertThat(update(failing)).isEqualTo("FAILED after 5, payload kept");
        var conversation = conversation(chat);
        assertThat(conversations.conversation(conversation).status()).as("the operators have him all the same")
                .isEqualTo(ConversationStatus.HANDED_OVER);
        assertThat(setAside(failing).conversation()).as("the console links to it").isEqualTo(conversation);
        assertThat(repliesTo(chat)).as("nothing could be sent").hasSize(before);
        assertThat(output.getAll()).contains("Inbound update " + setAside(failing).id() + " failed on its last attempt "
                + "(IllegalStateException) and telling him of the handover failed (IllegalStateException)");
    }

    @Test
    void anUpdateSetAsideAndTriedAgainOnceMendedIsProcessed() throws Exception {
        var chat = CHAT + 5;
        started(chat);
        var failing = new PrivateChatUpdates(chat, "Иван", "ru").text(FLAKY + " 5");
        mended = false;
        send(failing);
        await().atMost(Duration.ofSeconds(30)).until(() -> update(failing).startsWith("FAILED"));
        var aside = setAside(failing);
        assertThat(aside.attempts()).isEqualTo(5);
        assertThat(aside.failure()).isEqualTo("IllegalStateException");
        assertThat(aside.payloadKept()).isTrue();
        assertThat(aside.setAsideAt()).isNotNull();

        mended = true;
        assertThat(setAsideUpdates.retry(aside.id())).isEqualTo(SetAsideUpdates.Outcome.DONE);

        await().atMost(Duration.ofSeconds(30)).until(() -> update(failing).startsWith("PROCESSED"));
        assertThat(update(failing)).isEqualTo("PROCESSED after 0, payload erased");
        assertThat(setAsideUpdates.list(1000)).extracting(SetAsideUpdates.SetAside::id).doesNotContain(aside.id());
        assertThat(setAsideUpdates.retry(aside.id())).as("once only").isEqualTo(SetAsideUpdates.Outcome.NOT_FOUND);
    }

    @Test
    void aFlowStepThatFailsHandsHimOverAtOnceWhenTheOutboxRefusesTheNotice(CapturedOutput output) throws Exception {
        var chat = CHAT + 6;
        started(chat);
        var conversation = conversation(chat);
        var said = outbound(conversation);
        var failing = new PrivateChatUpdates(chat, "Иван", "ru").text("여보십시오 6");

        engineBroken = true;
        outboxRefusesAfterQueuing = true;
        try {
            send(failing);
            await().atMost(Duration.ofSeconds(30)).until(() -> update(failing).matches("(PROCESSED|FAILED).*"));
        } finally {
            engineBroken = false;
            outboxRefusesAfterQueuing = false;
        }

        assertThat(update(failing)).as("processed at its first attempt, not set aside after its last")
                .isEqualTo("PROCESSED after 0, payload erased");
        assertThat(conversations.conversation(conversation).status()).isEqualTo(ConversationStatus.HANDED_OVER);
        assertThat(conversations.transcript(conversation).stream().filter(m -> m.direction() == Direction.INBOUND)
                .map(m -> m.body()).toList()).as("kept for the operator").contains("여보십시오 6");
        assertThat(outbound(conversation)).as("nothing of the refused notice kept").isEqualTo(said);
        assertThat(output.getAll()).contains("A flow step failed (IllegalStateException); the conversation goes to an operator")
                .contains("Telling him that his conversation went to an operator failed (IllegalStateException): the "
                        + "operators have it, he was not told")
                .doesNotContain("여보십시오").doesNotContain("a broken step").doesNotContain("refuses a part");
    }

    @Test
    void anUpdateTriedAgainThatFailsAgainWhileHeIsStillWithTheOperatorsTellsHimNothingMore(CapturedOutput output)
            throws Exception {
        var chat = CHAT + 7;
        var failing = new PrivateChatUpdates(chat, "Иван", "ru").text(FLAKY + " 7");
        var conversation = setAsideOnce(chat, failing);
        var told = outbound(conversation);
        assertThat(lastSaid(conversation)).as("told once").startsWith("Передаю разговор оператору");
        var handoversBefore = handovers.get();

        setAsideAgain(failing);

        assertThat(update(failing)).isEqualTo("FAILED after 5, payload kept");
        assertThat(outbound(conversation)).as("not told a second time").isEqualTo(told);
        assertThat(handovers.get()).as("not handed over again").isEqualTo(handoversBefore);
        assertThat(conversations.conversation(conversation).status()).isEqualTo(ConversationStatus.HANDED_OVER);
        assertThat(setAside(failing).conversation()).as("the conversation it is still with the operators in")
                .isEqualTo(conversation);
        assertThat(output.getAll()).contains("Inbound update " + setAside(failing).id() + " failed on its last attempt "
                + "(IllegalStateException) again: set aside, its conversation still with the operators");
    }

    @Test
    void anUpdateTriedAgainThatFailsAgainAfterHisConversationWasGivenBackHandsHimOverAndTellsHimAgain()
            throws Exception {
        var chat = CHAT + 8;
        var failing = new PrivateChatUpdates(chat, "Иван", "ru").text(FLAKY + " 8");
        var conversation = setAsideOnce(chat, failing);
        var told = outbound(conversation);
        // an operator gave him back to the bot: a new failure is a new handover, which he is told of
        conversations.changeStatus(conversation, ConversationStatus.OPEN);

        setAsideAgain(failing);

        assertThat(conversations.conversation(conversation).status()).isEqualTo(ConversationStatus.HANDED_OVER);
        assertThat(outbound(conversation)).as("told of the new handover").isEqualTo(told + 1);
        assertThat(lastSaid(conversation)).startsWith("Передаю разговор оператору");
        assertThat(setAside(failing).conversation()).isEqualTo(conversation);
    }

    /** Ivan started, then {@code failing} (a {@link #FLAKY} text) set aside after its attempts; his conversation. */
    private ConversationId setAsideOnce(long chat, ObjectNode failing) throws Exception {
        started(chat);
        mended = false;
        send(failing);
        await().atMost(Duration.ofSeconds(30)).until(() -> update(failing).startsWith("FAILED"));
        return conversation(chat);
    }

    /** Tried again, still failing: set aside again after its attempts. */
    private void setAsideAgain(ObjectNode failing) {
        assertThat(setAsideUpdates.retry(setAside(failing).id())).isEqualTo(SetAsideUpdates.Outcome.DONE);
        await().atMost(Duration.ofSeconds(30)).until(() -> update(failing).startsWith("FAILED"));
    }

    private String lastSaid(ConversationId conversation) {
        return conversations.transcript(conversation).stream().filter(m -> m.direction() == Direction.OUTBOUND)
                .reduce((first, second) -> second).orElseThrow().body();
    }

    private long outbound(ConversationId conversation) {
        return conversations.transcript(conversation).stream().filter(m -> m.direction() == Direction.OUTBOUND).count();
    }

    private SetAsideUpdates.SetAside setAside(ObjectNode update) {
        var id = jdbc.sql("select id from inbound_update where endpoint = ? and idempotency_key = ?")
                .params(BOT, update.get("update_id").asString()).query(Long.class).single();
        return setAsideUpdates.list(1000).stream().filter(u -> u.id() == id).findFirst().orElseThrow();
    }

    /** Ivan, in Russian, past his first answer. */
    private PrivateChatUpdates started(long chat) throws Exception {
        var ivan = new PrivateChatUpdates(chat, "Иван", "ru");
        send(ivan.message("{\"text\":\"/start\"}"));
        assertThat(telegram.awaitCalls(calls -> repliesTo(chat).size() >= 1, Duration.ofSeconds(20))).isTrue();
        return ivan;
    }

    private String update(ObjectNode update) {
        return jdbc.sql("select state, attempts, payload_enc from inbound_update where endpoint = ? and idempotency_key = ?")
                .params(BOT, update.get("update_id").asString())
                .query((rs, n) -> rs.getString(1) + " after " + rs.getInt(2)
                        + (rs.getBytes(3) != null ? ", payload kept" : ", payload erased"))
                .optional().orElse("not moved in yet");
    }

    private ConversationId conversation(long chat) {
        var contact = conversations.findOrCreateContact("telegram", Long.toString(chat), null);
        return conversations.openOrResumeConversation(contact, null, null);
    }

    private List<FakeTelegramBotApi.Call> repliesTo(long chat) {
        return telegram.delivered().stream().filter(c -> c.body().path("chat_id").asLong() == chat).toList();
    }

    private void send(ObjectNode update) throws Exception {
        var response = http.send(FakeTelegramBotApi.webhookDelivery(port, BOT, SECRET, update.toString()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
