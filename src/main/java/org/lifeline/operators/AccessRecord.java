package org.lifeline.operators;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.lifeline.platform.SqlTimestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The append-only access record: who did what, to which subject, when, and whether it worked. The one place that
 * writes {@code access_log}, so that making it tamper-evident later changes only this class. Entries hold ids and
 * action names only: never a password, a code, an address or a person's data.
 */
@Service
public class AccessRecord {

    public enum Outcome {
        SUCCEEDED,
        /** Wrong password or code. */
        FAILED,
        /** Not allowed: locked, disabled, or against a rule. */
        REFUSED
    }

    /**
     * @param actor the signed-in operator, or null (a failed sign-in under an unknown name, the command line)
     * @param subject the id of what was acted on (an operator, a case), or null
     */
    public record Entry(long id, Instant at, OperatorId actor, String action, String subject, Outcome outcome) {
    }

    /** Action names are constants such as {@code sign-in.password} or {@code case.read}, never data. */
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9.-]{0,63}");

    private final JdbcClient jdbc;
    private final Clock clock;

    AccessRecord(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records an action by the signed-in operator (none on the command line). */
    public void record(String action, String subject, Outcome outcome) {
        record(OperatorAuthentication.current().map(Operator::id).orElse(null), action, subject, outcome);
    }

    public void record(OperatorId actor, String action, String subject, Outcome outcome) {
        if (!ACTION.matcher(action).matches() || subject != null && subject.length() > 64) {
            throw new IllegalArgumentException("An access record takes an action name and an id, not data");
        }
        jdbc.sql("""
                        insert into access_log (occurred_at, actor_id, action, subject_id, outcome)
                        values (:at, :actor, :action, :subject, :outcome)""")
                .param("at", SqlTimestamps.of(clock.instant()))
                .param("actor", actor == null ? null : actor.value())
                .param("action", action)
                .param("subject", subject)
                .param("outcome", outcome.name())
                .update();
    }

    /** The newest entries first. */
    public List<Entry> latest(int limit) {
        return jdbc.sql("select * from access_log order by id desc limit :limit")
                .param("limit", limit)
                .query((rs, row) -> {
                    var actor = rs.getObject("actor_id", UUID.class);
                    return new Entry(rs.getLong("id"), SqlTimestamps.read(rs, "occurred_at"),
                            actor == null ? null : new OperatorId(actor), rs.getString("action"),
                            rs.getString("subject_id"), Outcome.valueOf(rs.getString("outcome")));
                })
                .list();
    }
}
