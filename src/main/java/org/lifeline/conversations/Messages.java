package org.lifeline.conversations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.lifeline.platform.InsertsAtCommit;
import org.lifeline.platform.SqlTimestamps;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code message} table. A transaction's new messages are written just before it commits, in one batch in the
 * order recorded ({@link InsertsAtCommit}: a batch of updates recorded 38 messages, one insert each); every statement
 * on the table here, and in {@link Attachments}, writes them first, and so does whoever needs the row at once
 * ({@link #writeQueued()}: another table referring to it).
 */
@Repository
class Messages {

    static final String INSERT = """
            insert into message (id, conversation_id, direction, channel, kind, body_enc, created_at,
                                 delivery_state, channel_message_id)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final JdbcClient jdbc;
    private final InsertsAtCommit queued;

    Messages(JdbcClient jdbc, JdbcTemplate batches, DataSource dataSource) {
        this.jdbc = jdbc;
        this.queued = new InsertsAtCommit(dataSource, batches, INSERT);
    }

    void insert(MessageId id, ConversationId conversation, Direction direction, String channel, MessageKind kind,
            byte[] bodyEnc, DeliveryState state, String channelMessageId, Instant now) {
        queued.insert(id.value(), conversation.value(), direction.name(), channel, kind.name(), bodyEnc,
                SqlTimestamps.of(now), state.name(), channelMessageId);
    }

    /** Writes the messages this transaction recorded and has not written yet. */
    void writeQueued() {
        queued.writeQueued();
    }

    Optional<Row> find(MessageId id) {
        queued.writeQueued();
        return jdbc.sql("select * from message where id = ?").param(id.value()).query(Messages::row).optional();
    }

    Optional<Row> findOutbound(String channel, String channelMessageId) {
        queued.writeQueued();
        return jdbc.sql("select * from message where channel = ? and channel_message_id = ? and direction = 'OUTBOUND'")
                .params(channel, channelMessageId).query(Messages::row).optional();
    }

    /** Changes the delivery state only if nobody changed it since it was read as {@code from}. */
    boolean updateDelivery(MessageId id, DeliveryState from, DeliveryState to, String detail, String channelMessageId) {
        queued.writeQueued();
        return jdbc.sql("""
                        update message set delivery_state = ?, delivery_detail = ?,
                                           channel_message_id = coalesce(?, channel_message_id)
                        where id = ? and delivery_state = ?""")
                .params(to.name(), detail, channelMessageId, id.value(), from.name())
                .update() > 0;
    }

    /** In the order they were recorded. */
    List<Row> ofConversation(ConversationId conversation) {
        queued.writeQueued();
        return jdbc.sql("select * from message where conversation_id = ? order by seq")
                .param(conversation.value())
                .query(Messages::row)
                .list();
    }

    private static Row row(ResultSet rs, int rowNum) throws SQLException {
        var kind = rs.getString("kind");
        return new Row(new MessageId(rs.getObject("id", UUID.class)),
                new ConversationId(rs.getObject("conversation_id", UUID.class)),
                Direction.valueOf(rs.getString("direction")), rs.getString("channel"),
                kind == null ? null : MessageKind.valueOf(kind), rs.getBytes("body_enc"),
                SqlTimestamps.read(rs, "created_at"), DeliveryState.valueOf(rs.getString("delivery_state")),
                rs.getString("delivery_detail"), rs.getString("channel_message_id"));
    }

    /** @param kind null for a row recorded before messages had kinds (its body carries marks in the text) */
    record Row(MessageId id, ConversationId conversation, Direction direction, String channel, MessageKind kind,
            byte[] bodyEnc,
            Instant createdAt, DeliveryState delivery, String deliveryDetail, String channelMessageId) {
    }
}
