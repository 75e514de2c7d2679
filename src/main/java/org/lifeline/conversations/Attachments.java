package org.lifeline.conversations;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Attachments {

    private final JdbcClient jdbc;

    Attachments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(MessageId message, String mediaType, long size, byte[] contentEnc, Instant now) {
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

    record Stored(String mediaType, byte[] contentEnc) {
    }
}
