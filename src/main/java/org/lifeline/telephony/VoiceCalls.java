package org.lifeline.telephony;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.lifeline.channels.PhoneLine;
import org.lifeline.operators.OperatorId;
import org.lifeline.platform.SqlTimestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where each call on the line stands, by its call SID, while it lasts: for the console's count of callers waiting
 * by language, and to tell who answered. Every change is one statement; a provider's retried request changes
 * nothing twice.
 */
@Repository
class VoiceCalls implements PhoneLine {

    static final Duration KEPT = Duration.ofDays(1);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TelephonySettings settings;

    VoiceCalls(JdbcClient jdbc, Clock clock, TelephonySettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    /** The call began: known from now on (once, however often the provider asks). Old calls are forgotten. */
    @Transactional
    void begin(String callSid, String endpoint) {
        var now = clock.instant();
        jdbc.sql("delete from telephony_call where started_at < ?").param(SqlTimestamps.of(now.minus(KEPT))).update();
        jdbc.sql("""
                insert into telephony_call (call_sid, endpoint, state, started_at) values (?, ?, 'MENU', ?)
                on conflict do nothing""")
                .params(callSid, endpoint, SqlTimestamps.of(now)).update();
    }

    /** He waits in his language's queue for an on-duty operator. */
    void waiting(String callSid, String language) {
        jdbc.sql("update telephony_call set state = 'WAITING', language = ?, waiting_since = ? where call_sid = ?")
                .params(language, SqlTimestamps.of(clock.instant()), callSid).update();
    }

    /** An operator picked up; the first to do so is the one who answered. */
    void answered(String callSid, OperatorId operator) {
        jdbc.sql("update telephony_call set state = 'ANSWERED', answered_by = ? where call_sid = ? and answered_by is null")
                .params(operator.value(), callSid).update();
    }

    Optional<OperatorId> answeredBy(String callSid) {
        return jdbc.sql("select answered_by from telephony_call where call_sid = ?").param(callSid)
                .query((rs, n) -> Optional.ofNullable(rs.getObject("answered_by", UUID.class)).map(OperatorId::new))
                .optional().flatMap(o -> o);
    }

    /** Where his call stands ({@code MENU}, {@code WAITING}, …), if it is known. */
    Optional<String> state(String callSid) {
        return jdbc.sql("select state from telephony_call where call_sid = ?").param(callSid).query(String.class).optional();
    }

    /** Nobody (or somebody) answered, he left a message, or he hung up: no longer waiting. */
    void state(String callSid, String state) {
        jdbc.sql("update telephony_call set state = ? where call_sid = ?").params(state, callSid).update();
    }

    @Override
    public Map<String, Integer> waitingByLanguage() {
        // a call whose end never reached us (a lost status request) stops counting once it cannot be waiting: the
        // wait loop notices the maximum wait at its next turn, well within a minute and a half
        var since = SqlTimestamps.of(clock.instant().minus(settings.maxWait()).minusSeconds(90));
        var counts = new LinkedHashMap<String, Integer>();
        jdbc.sql("""
                select language, count(*) as waiting from telephony_call where state = 'WAITING' and waiting_since > ?
                group by language order by language""")
                .param(since)
                .query((org.springframework.jdbc.core.RowCallbackHandler) rs ->
                        counts.put(rs.getString("language"), rs.getInt("waiting")));
        return counts;
    }

    /** A call to an operator rings this long before the provider gives up on it. */
    static final Duration RING = Duration.ofSeconds(30);
    /** A line whose end never reached us (a lost status callback) is free again after this long. */
    static final Duration RINGING_KEPT = RING.plusSeconds(60);
    static final Duration TALKING_KEPT = Duration.ofHours(4);

    /** Callers of this language in the queue now. */
    int waiting(String language) {
        return waitingByLanguage().getOrDefault(language, 0);
    }

    /** Operators of this language being rung now. */
    int ringing(String language) {
        return jdbc.sql("select count(*) from telephony_operator_line where state = 'RINGING' and language = ? and since > ?")
                .params(language, SqlTimestamps.of(clock.instant().minus(RINGING_KEPT))).query(Integer.class).single();
    }

    /**
     * Claims a free operator for ringing, in one statement: false if he is being rung or is talking already (on
     * this node or another).
     */
    @Transactional
    boolean claimOperator(OperatorId operator, String language, String endpoint) {
        var now = clock.instant();
        var inserted = jdbc.sql("""
                insert into telephony_operator_line (operator_id, state, language, endpoint, since)
                values (?, 'RINGING', ?, ?, ?) on conflict do nothing""")
                .params(operator.value(), language, endpoint, SqlTimestamps.of(now)).update();
        if (inserted == 1) {
            return true;
        }
        return jdbc.sql("""
                update telephony_operator_line set state = 'RINGING', language = ?, endpoint = ?, call_sid = null, since = ?
                where operator_id = ? and (state = 'FREE' or (state = 'RINGING' and since < ?) or (state = 'TALKING' and since < ?))""")
                .params(language, endpoint, SqlTimestamps.of(now), operator.value(),
                        SqlTimestamps.of(now.minus(RINGING_KEPT)), SqlTimestamps.of(now.minus(TALKING_KEPT)))
                .update() == 1;
    }

    /** The provider took the call to him: its SID, to match his call's end. */
    void operatorCalled(OperatorId operator, String callSid) {
        jdbc.sql("update telephony_operator_line set call_sid = ? where operator_id = ? and state = 'RINGING'")
                .params(callSid, operator.value()).update();
    }

    /** He picked up and dials the queue. */
    void operatorTalking(OperatorId operator, String callSid) {
        jdbc.sql("update telephony_operator_line set state = 'TALKING', call_sid = ?, since = ? where operator_id = ?")
                .params(callSid, SqlTimestamps.of(clock.instant()), operator.value()).update();
    }

    /** His call ended: he can be rung again. Only the call that is his now frees him. */
    void operatorFree(OperatorId operator, String callSid) {
        jdbc.sql("update telephony_operator_line set state = 'FREE', call_sid = null, since = ? where operator_id = ? and call_sid = ?")
                .params(SqlTimestamps.of(clock.instant()), operator.value(), callSid).update();
    }

    /** The provider refused the call to him: he was never rung. */
    void operatorNotCalled(OperatorId operator) {
        jdbc.sql("""
                update telephony_operator_line set state = 'FREE', since = ?
                where operator_id = ? and state = 'RINGING' and call_sid is null""")
                .params(SqlTimestamps.of(clock.instant()), operator.value()).update();
    }

    /** Operators who are being rung or talking now. */
    java.util.Set<UUID> busyOperators() {
        var now = clock.instant();
        return new java.util.HashSet<>(jdbc.sql("""
                select operator_id from telephony_operator_line
                where (state = 'RINGING' and since > ?) or (state = 'TALKING' and since > ?)""")
                .params(SqlTimestamps.of(now.minus(RINGING_KEPT)), SqlTimestamps.of(now.minus(TALKING_KEPT)))
                .query(UUID.class).list());
    }
}
