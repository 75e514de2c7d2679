package org.lifeline.privacy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The common shape of retained data: one call removes (or counts) what is older than the cutoff, and the count goes
 * into the report under one subject, in the cutoff's month. A module extends it with that one call.
 */
public abstract class ExpiringData implements RetainedData {

    private final String kind;
    private final String description;
    private final Duration defaultPeriod;
    private final String subject;

    /** @param subject what is counted, such as {@code files}: never anything personal */
    protected ExpiringData(String kind, String description, Duration defaultPeriod, String subject) {
        this.kind = kind;
        this.description = description;
        this.defaultPeriod = defaultPeriod;
        this.subject = subject;
    }

    /** Removes what was last active before {@code cutoff} (with {@code dryRun} only counts it); returns how many. */
    protected abstract long removeBefore(Instant cutoff, boolean dryRun);

    @Override
    public final String kind() {
        return kind;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Duration defaultPeriod() {
        return defaultPeriod;
    }

    @Override
    public final long purge(Instant cutoff, boolean dryRun, Tally tally) {
        var removed = removeBefore(cutoff, dryRun);
        tally.add(subject, LocalDate.ofInstant(cutoff, ZoneOffset.UTC), removed);
        return removed;
    }
}
