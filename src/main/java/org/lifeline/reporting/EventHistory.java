package org.lifeline.reporting;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.lifeline.conversations.ConversationId;
import org.lifeline.platform.Savepoints;
import org.lifeline.platform.SqlTimestamps;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code report_event} history and the {@code report_answered} marks. */
@Repository
class EventHistory {

    private final JdbcClient jdbc;
    private final Savepoints savepoints;

    EventHistory(JdbcClient jdbc, Savepoints savepoints) {
        this.jdbc = jdbc;
        this.savepoints = savepoints;
    }

    /**
     * One anonymous row. Only the day of {@code at} is kept (see V190 for why each column cannot single anyone
     * out).
     */
    void record(ReportEvent event, Instant at, Dimensions dimensions, String caseKind, String reason,
            Long durationSeconds) {
        jdbc.sql("""
                        insert into report_event (occurred_on, event, channel, language, campaign_id, case_kind,
                                                  reason, duration_seconds)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(LocalDate.ofInstant(at, ZoneOffset.UTC), event.name(), dimensions.channel(),
                        dimensions.language(), dimensions.campaign(), caseKind, reason, durationSeconds)
                .update();
    }

    /** Every row in the days, counted by all its categories (a few thousand groups for a year). */
    List<Cell> cells(LocalDate from, LocalDate until) {
        return jdbc.sql("""
                        select event, occurred_on, channel, language, campaign_id, case_kind, reason, count(*) as n
                        from report_event where occurred_on between ? and ? and event <> 'FIRST_ANSWER'
                        group by event, occurred_on, channel, language, campaign_id, case_kind, reason""")
                .params(from, until)
                .query((rs, n) -> new Cell(ReportEvent.valueOf(rs.getString("event")),
                        rs.getObject("occurred_on", LocalDate.class), dimensions(rs), rs.getString("case_kind"),
                        rs.getString("reason"), rs.getLong("n")))
                .list();
    }

    /** The first-answer delays in the days, each with its channel and language. */
    List<Delay> delays(LocalDate from, LocalDate until) {
        return jdbc.sql("""
                        select occurred_on, channel, language, campaign_id, duration_seconds from report_event
                        where event = 'FIRST_ANSWER' and occurred_on between ? and ?""")
                .params(from, until)
                .query((rs, n) -> new Delay(rs.getObject("occurred_on", LocalDate.class), dimensions(rs),
                        rs.getLong("duration_seconds")))
                .list();
    }

    private static Dimensions dimensions(ResultSet rs) throws SQLException {
        return new Dimensions(rs.getString("channel"), rs.getString("language"),
                rs.getObject("campaign_id", UUID.class));
    }

    /** @return false if the conversation was answered before (here or, at the same moment, on another node) */
    boolean markAnswered(ConversationId conversation, Instant at) {
        var marked = jdbc.sql("select count(*) from report_answered where conversation_id = ?")
                .param(conversation.value()).query(Long.class).single() > 0;
        if (marked) {
            return false;
        }
        try {
            return savepoints.attempt(() -> jdbc.sql("""
                            insert into report_answered (conversation_id, answered_at) values (?, ?)""")
                    .params(conversation.value(), SqlTimestamps.of(at)).update() == 1);
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    void unmark(List<ConversationId> conversations) {
        conversations.forEach(c -> jdbc.sql("delete from report_answered where conversation_id = ?").param(c.value())
                .update());
    }

    long countMarksBefore(Instant cutoff) {
        return jdbc.sql("select count(*) from report_answered where answered_at < ?").param(SqlTimestamps.of(cutoff))
                .query(Long.class).single();
    }

    long deleteMarksBefore(Instant cutoff) {
        return jdbc.sql("delete from report_answered where answered_at < ?").param(SqlTimestamps.of(cutoff)).update();
    }

    /**
     * The categories a request is counted by; any may be unknown ({@code null}).
     *
     * @param campaign the campaign's id: its name is read when a report is
     */
    record Dimensions(String channel, String language, UUID campaign) {

        static final Dimensions NONE = new Dimensions(null, null, null);
    }

    record Cell(ReportEvent event, LocalDate day, Dimensions dimensions, String caseKind, String reason, long count) {
    }

    record Delay(LocalDate day, Dimensions dimensions, long seconds) {
    }
}
