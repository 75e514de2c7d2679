package org.lifeline.cases;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import org.lifeline.platform.SqlTimestamps;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.lifeline.privacy.RetainedData;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Cases finished (closed, or surrendered) for the period, counted from the transition that finished them: removed
 * with their history, their key destroyed; only a count per kind and outcome remains. Nothing done with a case since
 * (an erasure; no other change is taken) moves that time.
 */
@Component
class ClosedCaseRetention implements RetainedData {

    private final JdbcClient jdbc;
    private final DataProtection protection;
    private final ApplicationEventPublisher events;

    ClosedCaseRetention(JdbcClient jdbc, DataProtection protection, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.protection = protection;
        this.events = events;
    }

    @Override
    public String kind() {
        return "closed-cases";
    }

    @Override
    public String description() {
        return "cases closed or surrendered, with their history, counted by kind and outcome";
    }

    @Override
    public Duration defaultPeriod() {
        return Duration.ofDays(365);
    }

    @Override
    public long purge(Instant cutoff, boolean dryRun, Tally tally) {
        var due = jdbc.sql("""
                        select id, kind, status, close_reason, data_key_id, closed_at from support_case
                        where closed_at < ?""")
                .param(SqlTimestamps.of(cutoff))
                .query((rs, n) -> new Due(rs.getObject("id", UUID.class), rs.getString("kind") + "/"
                        + rs.getString("status") + (rs.getString("close_reason") == null ? ""
                        : "/" + rs.getString("close_reason")), new DataKeyId(rs.getObject("data_key_id", UUID.class)),
                        LocalDate.ofInstant(SqlTimestamps.read(rs, "closed_at"), ZoneOffset.UTC)))
                .list();
        if (dryRun) {
            return due.size();
        }
        for (var kase : due) {
            events.publishEvent(new CaseExpired(new CaseId(kase.id())));
            jdbc.sql("delete from case_transition where case_id = ?").param(kase.id()).update();
            jdbc.sql("delete from support_case where id = ?").param(kase.id()).update();
            protection.destroy(kase.key());
            tally.add(kase.outcome(), kase.month(), 1);
        }
        return due.size();
    }

    private record Due(UUID id, String outcome, DataKeyId key, LocalDate month) {
    }
}
