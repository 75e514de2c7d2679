package org.lifeline.webchat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.lifeline.privacy.ExpiringData;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Web chat sessions unused for the period. They stop working after {@code session-idle-timeout} anyway; this
 * removes the rows (keyed hashes of a cookie and a codename) even when no new session comes to sweep them.
 */
@Component
class ChatSessionRetention extends ExpiringData {

    private final JdbcClient jdbc;

    ChatSessionRetention(JdbcClient jdbc) {
        super("webchat-sessions",
                "web chat sessions unused since (their browsers lost them after the idle timeout already)",
                Duration.ofDays(1), "sessions");
        this.jdbc = jdbc;
    }

    @Override
    protected long removeBefore(Instant cutoff, boolean dryRun) {
        var at = cutoff.atOffset(ZoneOffset.UTC);
        return dryRun
                ? jdbc.sql("select count(*) from webchat_session where last_seen_at < ?").param(at).query(Long.class)
                        .single()
                : jdbc.sql("delete from webchat_session where last_seen_at < ?").param(at).update();
    }
}
