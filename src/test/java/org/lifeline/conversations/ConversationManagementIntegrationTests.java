package org.lifeline.conversations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

@SpringBootTest
@PersistenceTest
@RecordApplicationEvents
class ConversationManagementIntegrationTests {

    @Autowired
    ConversationManagement conversations;

    @Autowired
    ApplicationEvents events;

    @Autowired
    org.springframework.transaction.support.TransactionTemplate transaction;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void findsTheSameContactForTheSameChannelIdAndAnotherOnAnotherChannel() {
        var chatId = uniqueChatId();

        var first = conversations.findOrCreateContact("telegram", chatId, "ru");
        var again = conversations.findOrCreateContact("telegram", chatId, null);
        var elsewhere = conversations.findOrCreateContact("webchat", chatId, null);

        assertThat(again).isEqualTo(first);
        assertThat(elsewhere).isNotEqualTo(first);
        assertThat(conversations.externalId(first)).contains(chatId);
        assertThat(conversations.contact(first))
                .returns("telegram", ContactView::channel)
                .returns("ru", ContactView::preferredLanguage)
                .returns(Reachability.REACHABLE, ContactView::reachability)
                .returns(false, ContactView::erased);
    }

    @Test
    void simultaneousFirstMessagesCreateOneContact() throws Exception {
        var chatId = uniqueChatId();
        var start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(4)) {
            var results = new java.util.ArrayList<CompletableFuture<ContactId>>();
            for (int i = 0; i < 4; i++) {
                results.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return conversations.findOrCreateContact("telegram", chatId, null);
                }, pool));
            }
            start.countDown();

            assertThat(results.stream().map(CompletableFuture::join).distinct()).hasSize(1);
        }
    }

    @Test
    void resumesTheOpenConversationAndOpensANewOneAfterClosing() {
        var contact = conversations.findOrCreateContact("telegram", uniqueChatId(), "ko");

        var first = conversations.openOrResumeConversation(contact, null, "qr-seoul-2025");
        var resumed = conversations.openOrResumeConversation(contact, "en", "other-campaign");
        conversations.changeStatus(first, ConversationStatus.HANDED_OVER);
        var stillResumed = conversations.openOrResumeConversation(contact, null, null);
        conversations.changeStatus(first, ConversationStatus.CLOSED);
        var next = conversations.openOrResumeConversation(contact, null, null);

        assertThat(resumed).isEqualTo(first);
        assertThat(stillResumed).isEqualTo(first);
        assertThat(next).isNotEqualTo(first);
        assertThat(conversations.conversation(first))
                .returns(contact, ConversationView::contact)
                .returns("telegram", ConversationView::channel)
                .returns("ko", ConversationView::language)
                .returns("qr-seoul-2025", ConversationView::entryCode)
                .returns(ConversationStatus.CLOSED, ConversationView::status);
        assertThat(conversations.conversation(next))
                .returns(ConversationStatus.OPEN, ConversationView::status)
                .returns(null, ConversationView::entryCode);
        assertThat(events.stream(ConversationOpened.class))
                .contains(new ConversationOpened(first, contact), new ConversationOpened(next, contact));
    }

    @Test
    void aResumedConversationTakesALanguageOnlyIfItHadNoneAndIsActiveSinceItsLatestMessage() {
        var contact = conversations.findOrCreateContact("telegram", uniqueChatId(), null);
        var conversation = conversations.openOrResumeConversation(contact, null, null);
        assertThat(conversations.conversation(conversation).language()).isNull();

        assertThat(conversations.openOrResumeConversation(contact, null, null)).isEqualTo(conversation);
        assertThat(conversations.conversation(conversation).language()).as("no language offered, none taken").isNull();
        conversations.openOrResumeConversation(contact, "ru", null);
        assertThat(conversations.conversation(conversation).language()).isEqualTo("ru");
        conversations.openOrResumeConversation(contact, "en", null);
        conversations.openOrResumeConversation(contact, null, null);
        assertThat(conversations.conversation(conversation).language()).as("kept once it has one").isEqualTo("ru");

        var before = conversations.conversation(conversation).lastActivityAt();
        conversations.recordOutbound(conversation, java.util.List.of("Здравствуйте.", "Чем помочь?", "Пишите."));
        var transcript = conversations.transcript(conversation);
        var after = conversations.conversation(conversation).lastActivityAt();
        assertThat(after).isAfterOrEqualTo(before);
        assertThat(transcript).allSatisfy(message -> assertThat(after).isAfterOrEqualTo(message.createdAt()));
    }

    @Test
    void keepsMessagesInTheOrderTheyWereRecorded() {
        var conversation = newConversation();

        var hello = conversations.recordInbound(conversation, "Я хочу жить", "101");
        var answer = conversations.recordOutbound(conversation, "Мы поможем. Где вы?");
        var korean = conversations.recordInbound(conversation, "저는 항복하고 싶습니다", "103");

        assertThat(conversations.transcript(conversation))
                .extracting(MessageView::id, MessageView::direction, MessageView::body, MessageView::delivery)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(hello, Direction.INBOUND, "Я хочу жить",
                                DeliveryState.RECEIVED),
                        org.assertj.core.groups.Tuple.tuple(answer, Direction.OUTBOUND, "Мы поможем. Где вы?",
                                DeliveryState.PENDING),
                        org.assertj.core.groups.Tuple.tuple(korean, Direction.INBOUND, "저는 항복하고 싶습니다",
                                DeliveryState.RECEIVED));
        assertThat(events.stream(InboundMessageRecorded.class))
                .contains(new InboundMessageRecorded(conversation, hello),
                        new InboundMessageRecorded(conversation, korean));
        assertThat(events.stream(OutboundMessageRecorded.class))
                .contains(new OutboundMessageRecorded(conversation, answer));
    }

    /**
     * The rows written for every new person and every message take time-ordered ids (version 7), so that large
     * tables take new rows in their indexes' last pages instead of random ones (IdOrderBenchmark).
     */
    @Test
    void contactsConversationsMessagesAndTheirKeysTakeTimeOrderedIds() {
        var before = System.currentTimeMillis();
        var contact = conversations.findOrCreateContact("telegram", uniqueChatId(), null);
        var conversation = conversations.openOrResumeConversation(contact, null, null);
        var inbound = conversations.recordInbound(conversation, "Я хочу жить", "201");
        var outbound = conversations.recordOutbound(conversation, "Мы поможем.");
        var after = System.currentTimeMillis();
        var key = jdbc.sql("select data_key_id from contact where id = ?").param(contact.value())
                .query(UUID.class).single();

        for (var id : java.util.List.of(contact.value(), conversation.value(), inbound.value(), outbound.value(), key)) {
            assertThat(id.version()).as("version of %s", id).isEqualTo(7);
            // RFC 9562: the first 48 bits are the Unix time in milliseconds
            assertThat(id.getMostSignificantBits() >>> 16).as("time of %s", id).isBetween(before, after);
        }
    }

    @Test
    void deliveryMovesForwardAndIgnoresLateReports() {
        var conversation = newConversation();
        var message = conversations.recordOutbound(conversation, "text");

        assertThat(conversations.markSent(message, "5521")).isTrue();
        assertThat(conversations.updateDelivery(message, DeliveryState.DELIVERED, null)).isTrue();
        assertThat(conversations.updateDelivery(message, DeliveryState.SENT, null)).as("late report").isFalse();

        assertThat(single(conversation))
                .returns(DeliveryState.DELIVERED, MessageView::delivery)
                .returns("5521", MessageView::channelMessageId);
    }

    @Test
    void recordsAFailureWithItsCodeAndAllowsARetry() {
        var conversation = newConversation();
        var message = conversations.recordOutbound(conversation, "text");

        assertThat(conversations.updateDelivery(message, DeliveryState.FAILED, "telegram.403")).isTrue();
        assertThat(single(conversation)).returns("telegram.403", MessageView::deliveryDetail);
        assertThat(conversations.updateDelivery(message, DeliveryState.PENDING, null)).isTrue();
    }

    @Test
    void refusesFreeTextAsADeliveryDetailWithoutRepeatingIt() {
        var message = conversations.recordOutbound(newConversation(), "text");

        assertThatThrownBy(() -> conversations.updateDelivery(message, DeliveryState.FAILED, "chat +79991234567 gone"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delivery detail code")
                .hasMessageNotContaining("7999");
    }

    @Test
    void inboundMessagesHaveNoDelivery() {
        var message = conversations.recordInbound(newConversation(), "text", null);

        assertThatThrownBy(() -> conversations.updateDelivery(message, DeliveryState.SENT, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inbound");
    }

    @Test
    void anUnreachableContactWhoWritesAgainIsReachable() {
        var contact = conversations.findOrCreateContact("telegram", uniqueChatId(), null);
        var conversation = conversations.openOrResumeConversation(contact, null, null);

        conversations.markUnreachable(contact);
        assertThat(conversations.contact(contact).reachability()).isEqualTo(Reachability.UNREACHABLE);

        conversations.recordInbound(conversation, "I am back", "7");
        assertThat(conversations.contact(contact).reachability()).isEqualTo(Reachability.REACHABLE);
    }

    @Test
    void aBlockedContactStaysBlocked() {
        var contact = conversations.findOrCreateContact("telegram", uniqueChatId(), null);
        var conversation = conversations.openOrResumeConversation(contact, null, null);

        conversations.markBlocked(contact);
        conversations.markUnreachable(contact);
        conversations.recordInbound(conversation, "hello again", "8");

        assertThat(conversations.contact(contact).reachability()).isEqualTo(Reachability.BLOCKED);
        assertThat(events.stream(ContactMarkedBlocked.class)).containsExactly(new ContactMarkedBlocked(contact));
    }

    @Test
    void refusesMalformedChannelsAndLanguagesWithoutRepeatingTheInput() {
        assertThatThrownBy(() -> conversations.findOrCreateContact("Telegram Bot", "1", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel")
                .hasMessageNotContaining("Bot");
        assertThatThrownBy(() -> conversations.findOrCreateContact("telegram", "1", "Иван"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("language")
                .hasMessageNotContaining("Иван");
    }

    @Test
    void unknownIdsAreReportedByIdOnly() {
        var unknown = new ConversationId(UUID.randomUUID());

        assertThatThrownBy(() -> conversations.recordInbound(unknown, "Меня зовут Иван", null))
                .isInstanceOf(java.util.NoSuchElementException.class)
                .hasMessage("No conversation " + unknown.value());
    }

    private ConversationId newConversation() {
        var contact = conversations.findOrCreateContact("telegram", uniqueChatId(), null);
        return conversations.openOrResumeConversation(contact, null, null);
    }

    private MessageView single(ConversationId conversation) {
        var transcript = conversations.transcript(conversation);
        assertThat(transcript).hasSize(1);
        return transcript.getFirst();
    }

    /**
     * A transaction's messages are written just before it commits, in the order recorded: a statement of the same
     * transaction outside the module does not see them yet, the transcript does (its read writes them first), a
     * photo is written at once (the channel's fetch of its file refers to it), and a rolled-back transaction leaves
     * nothing.
     */
    @Test
    void messagesAreWrittenAtTheCommitInTheirOrderAndAtOnceWhenAnotherRowRefersToThem() {
        var contact = conversations.findOrCreateContact("telegram", uniqueChatId(), null);
        var conversation = conversations.openOrResumeConversation(contact, "ru", null);
        var seen = transaction.execute(status -> {
            var first = conversations.recordInbound(conversation, "Раз", "1");
            conversations.recordOutbound(conversation, java.util.List.of("Два", "Три"));
            var beforeRead = rows(conversation);
            var transcript = conversations.transcript(conversation).stream().map(MessageView::body).toList();
            conversations.recordInbound(conversation, new MessageContent.Text("Четыре"), "2");
            var beforePhoto = rows(conversation);
            conversations.recordInbound(conversation, new MessageContent.Photo("Пять"), "3");
            return java.util.List.of(beforeRead, transcript, beforePhoto, rows(conversation), first);
        });
        assertThat(seen.get(0)).as("written before the commit or a read of the module").isEqualTo(0L);
        assertThat(seen.get(1)).isEqualTo(java.util.List.of("Раз", "Два", "Три"));
        assertThat(seen.get(2)).as("one recorded since the read waits").isEqualTo(3L);
        assertThat(seen.get(3)).as("a photo, and what was recorded before it, written at once").isEqualTo(5L);
        assertThat(conversations.transcript(conversation)).extracting(MessageView::body)
                .containsExactly("Раз", "Два", "Три", "Четыре", "Пять");

        transaction.executeWithoutResult(status -> {
            conversations.recordOutbound(conversation, "Шесть");
            status.setRollbackOnly();
        });
        assertThat(rows(conversation)).isEqualTo(5L);
    }

    private long rows(ConversationId conversation) {
        return jdbc.sql("select count(*) from message where conversation_id = ?").param(conversation.value())
                .query(Long.class).single();
    }

    static String uniqueChatId() {
        return Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits() % 10_000_000_000L));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
