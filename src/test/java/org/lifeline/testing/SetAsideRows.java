package org.lifeline.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Inbound updates as the processor leaves one it set aside after five attempts, of a bot no node serves (one tried
 * again stays pending for the test to look at), saying {@code says} in plain text, so that anything showing it would
 * be seen to.
 */
public final class SetAsideRows {

    public static final String FAILURE = "DataIntegrityViolationException";

    private SetAsideRows() {
    }

    /** A row set aside at {@code now} under the data key {@code key}, handed over in {@code conversation} (or none); its id. */
    public static long insert(JdbcClient jdbc, String bot, UUID key, String says, UUID conversation, Instant now) {
        var at = now.atOffset(ZoneOffset.UTC);
        jdbc.sql("""
                insert into inbound_update (channel, endpoint, idempotency_key, sender_ref, data_key_id, payload_enc,
                  state, attempts, error_code, received_at, set_aside_at, conversation_id)
                values ('telegram', ?, ?, ?, ?, ?, 'FAILED', 5, ?, ?, ?, ?)""")
                .params(bot, UUID.randomUUID().toString(), UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8),
                        key, says.getBytes(StandardCharsets.UTF_8), FAILURE, at.minusMinutes(2), at, conversation)
                .update();
        return jdbc.sql("select max(id) from inbound_update where endpoint = ?").param(bot).query(Long.class).single();
    }
}
