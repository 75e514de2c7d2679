package org.lifeline.privacy;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes every kind of {@link RetainedData} older than its period, each kind in its own transaction, and keeps
 * anonymous counts of what went in {@code retention_tally}.
 */
@Service
public class Retention {

    /**
     * @param removed how many went (or would, in a dry run)
     */
    public record Purged(String kind, String description, Duration period, long removed) {
    }

    private final List<RetainedData> kinds;
    private final RetentionSettings settings;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;

    Retention(List<RetainedData> kinds, RetentionSettings settings, JdbcClient jdbc, Clock clock,
            PlatformTransactionManager transactions, ApplicationEventPublisher events) {
        this.events = events;
        this.kinds = kinds.stream().sorted(Comparator.comparing(RetainedData::kind)).toList();
        this.settings = settings;
        this.jdbc = jdbc;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactions);
        Set<String> known = new TreeSet<>();
        kinds.forEach(kind -> known.add(kind.kind()));
        settings.periods().forEach((kind, period) -> {
            if (!known.contains(kind)) {
                throw new IllegalArgumentException("lifeline.retention.periods." + kind + ": no such kind of data "
                        + "(known: " + String.join(", ", known) + ")");
            }
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("lifeline.retention.periods." + kind + " must be positive");
            }
        });
    }

    /** Every kind, with its period: what {@code retention run --dry-run} lists. */
    public List<Purged> run(boolean dryRun) {
        var now = clock.instant();
        var results = new ArrayList<Purged>();
        for (var kind : kinds) {
            var period = period(kind);
            var removed = transactions.execute(status -> kind.purge(now.minus(period), dryRun,
                    dryRun ? (subject, month, count) -> { } : (subject, month, count) -> tally(kind, subject, month,
                            count)));
            results.add(new Purged(kind.kind(), kind.description(), period, removed));
        }
        if (!dryRun) {
            events.publishEvent(new PrivacyOperationCompleted("retention.run"));
        }
        return results;
    }

    /**
     * Claims today's run for this node: of all nodes asking on one day, exactly one gets {@code true}.
     */
    boolean claimToday() {
        var today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        return jdbc.sql("""
                        update daily_job set last_run_on = :today
                        where name = 'retention' and (last_run_on is null or last_run_on < :today)""")
                .param("today", today)
                .update() == 1;
    }

    /** How long data of this kind is kept: as configured, or its default. */
    public Duration period(String kind) {
        return kinds.stream().filter(k -> k.kind().equals(kind)).findFirst().map(this::period)
                .orElseThrow(() -> new IllegalArgumentException("no such kind of data: " + kind));
    }

    Duration period(RetainedData kind) {
        return settings.periods().getOrDefault(kind.kind(), kind.defaultPeriod());
    }

    private void tally(RetainedData kind, String subject, LocalDate month, long count) {
        if (count == 0) {
            return;
        }
        var first = month.withDayOfMonth(1);
        var updated = jdbc.sql("""
                        update retention_tally set removed = removed + :count
                        where kind = :kind and subject = :subject and active_month = :month""")
                .param("count", count).param("kind", kind.kind()).param("subject", subject).param("month", first)
                .update();
        if (updated == 0) {
            jdbc.sql("insert into retention_tally (kind, subject, active_month, removed) values (?, ?, ?, ?)")
                    .params(kind.kind(), subject, first, count).update();
        }
    }
}
