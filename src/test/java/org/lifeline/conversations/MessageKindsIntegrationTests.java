package org.lifeline.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest
@PersistenceTest
class MessageKindsIntegrationTests {

    @Autowired
    ConversationManagement conversations;

    @Autowired
    DataProtection protection;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MessageKindBackfill backfill;

    @Test
    void everyKindIsStoredWithItsKindInTheClearAndItsContentEncrypted() {
        var conversation = newConversation();
        for (var content : MessageContentsTests.ONE_OF_EACH_KIND) {
            conversations.recordInbound(conversation, content, null);
        }

        assertThat(conversations.transcript(conversation)).extracting(MessageView::content)
                .containsExactlyElementsOf(MessageContentsTests.ONE_OF_EACH_KIND);
        var stored = jdbc.sql("select kind, body_enc from message where conversation_id = ? order by seq")
                .param(conversation.value())
                .query((rs, n) -> new Object[] {rs.getString("kind"), rs.getBytes("body_enc")}).list();
        assertThat(stored).extracting(row -> row[0]).containsExactlyElementsOf(MessageContentsTests.ONE_OF_EACH_KIND
                .stream().map(c -> c.kind().name()).toList());
        assertThat(stored).allSatisfy(row -> assertThat(new String((byte[]) row[1], StandardCharsets.ISO_8859_1))
                .doesNotContain("48.12").doesNotContain("79001234567").doesNotContain("surrender")
                .doesNotContain("olena").doesNotContain("latitude"));
    }

    @Test
    void aRowFromBeforeKindsIsReadFromTheMarksInItsText() {
        var conversation = newConversation();
        legacy(conversation, "[location] 48.123456, 37.654321");

        assertThat(conversations.transcript(conversation)).singleElement()
                .returns(new MessageContent.Location(48.123456, 37.654321), MessageView::content)
                .returns(MessageKind.LOCATION, MessageView::kind);
    }

    @Test
    void rowsFromBeforeKindsAreConvertedOnceAndThoseOfForgottenRequestersAreLeftAlone() {
        var conversation = newConversation();
        var location = legacy(conversation, "[location] 48.123456, 37.654321");
        var text = legacy(conversation, "Меня зовут Иван");
        var forgottenConversation = newConversation();
        var forgotten = legacy(forgottenConversation, "[choice] surrender");
        conversations.forget(conversations.conversation(forgottenConversation).contact());

        while (backfill.convertBatch() == MessageKindBackfill.BATCH) {
            // older rows of other tests in the shared database come first
        }

        assertThat(kindOf(location)).isEqualTo("LOCATION");
        assertThat(kindOf(text)).isEqualTo("TEXT");
        assertThat(kindOf(forgotten)).isNull();
        assertThat(protection.decrypt(keyOf(conversation), bodyOf(location), "message.body:" + location.value()))
                .isEqualTo("{\"latitude\":48.123456,\"longitude\":37.654321}");
        assertThat(conversations.transcript(conversation)).extracting(MessageView::content).containsExactly(
                new MessageContent.Location(48.123456, 37.654321), new MessageContent.Text("Меня зовут Иван"));
        assertThat(backfill.convertBatch()).as("nothing left to convert").isZero();
    }

    /** A message as recorded before V210: the kind in the text, which the migration cannot read (it is encrypted). */
    private MessageId legacy(ConversationId conversation, String body) {
        var message = conversations.recordInbound(conversation, "placeholder", null);
        jdbc.sql("update message set kind = null, body_enc = ? where id = ?")
                .params(protection.encrypt(keyOf(conversation), body, "message.body:" + message.value()), message.value())
                .update();
        return message;
    }

    private DataKeyId keyOf(ConversationId conversation) {
        return new DataKeyId(jdbc.sql("""
                        select c.data_key_id from contact c join conversation v on v.contact_id = c.id where v.id = ?""")
                .param(conversation.value()).query(UUID.class).single());
    }

    private String kindOf(MessageId message) {
        return jdbc.sql("select kind from message where id = ?").param(message.value()).query(String.class).list().getFirst();
    }

    private byte[] bodyOf(MessageId message) {
        return jdbc.sql("select body_enc from message where id = ?").param(message.value()).query(byte[].class).single();
    }

    @Test
    void ourMessagesAreTextAndSeveralAreRecordedInOrder() {
        var conversation = newConversation();
        var ids = conversations.recordOutbound(conversation, java.util.List.of("one", "two", "three"));

        assertThat(conversations.transcript(conversation)).extracting(MessageView::id).containsExactlyElementsOf(ids);
        assertThat(conversations.transcript(conversation)).extracting(MessageView::content).containsExactly(
                new MessageContent.Text("one"), new MessageContent.Text("two"), new MessageContent.Text("three"));
    }

    private ConversationId newConversation() {
        var contact = conversations.findOrCreateContact("telegram", "kinds-" + UUID.randomUUID(), "ru");
        return conversations.openOrResumeConversation(contact, "ru", null);
    }
}
