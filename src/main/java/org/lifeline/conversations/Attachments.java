package org.lifeline.conversations;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Attachments {

    private final JdbcClient jdbc;
    /** Its statements refer to messages, which a transaction writes at its end: what it recorded is written first. */
    private final Messages messages;

    Attachments(JdbcClient jdbc, Messages messages) {
        this.jdbc = jdbc;
        this.messages = messages;
    }

    void insert(MessageId message, String mediaType, long size, byte[] contentEnc, Instant now) {
        messages.writeQueued();
        jdbc.sql("""
                insert into message_attachment (message_id, media_type, size_bytes, content_enc, created_at)
                values (?, ?, ?, ?, ?) on conflict do nothing""")
                .params(message.value(), mediaType, size, contentEnc, now.atOffset(ZoneOffset.UTC)).update();
    }

    Optional<Stored> find(MessageId message) {
        return jdbc.sql("select media_type, content_enc from message_attachment where message_id = ?")
                .param(message.value())
                .query((rs, n) -> new Stored(rs.getString("media_type"), rs.getBytes("content_enc")))
                .optional();
    }

    /** The media type of each kept file of the conversation's messages, by message id. */
    Map<MessageId, String> typesInConversation(ConversationId conversation) {
        messages.writeQueued();
        var types = new LinkedHashMap<MessageId, String>();
        jdbc.sql("""
                select a.message_id, a.media_type from message_attachment a join message m on m.id = a.message_id
                where m.conversation_id = ?""")
                .param(conversation.value())
                .query(rs -> {
                    types.put(new MessageId(rs.getObject("message_id", UUID.class)), rs.getString("media_type"));
                });
        return types;
    }

    /** Removes the files of a contact's messages: shredded with his key, and no use to anyone as ciphertext. */
    int deleteOfContact(ContactId contact) {
        messages.writeQueued();
        return jdbc.sql("""
                delete from message_attachment where message_id in (
                    select m.id from message m join conversation c on c.id = m.conversation_id where c.contact_id = ?)""")
                .param(contact.value()).update();
    }

    /** Removes files kept since before {@code cutoff}. */
    int deleteCreatedBefore(Instant cutoff, boolean dryRun) {
        var at = cutoff.atOffset(ZoneOffset.UTC);
        return dryRun
                ? jdbc.sql("select count(*) from message_attachment where created_at < ?").param(at).query(Integer.class)
                        .single()
                : jdbc.sql("delete from message_attachment where created_at < ?").param(at).update();
    }

    record Stored(String mediaType, byte[] contentEnc) {
    }
}
