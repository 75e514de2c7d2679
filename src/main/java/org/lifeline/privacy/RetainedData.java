package org.lifeline.privacy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A kind of data kept only for a while. Each module that keeps one declares a bean; {@link Retention} removes what
 * is older than its period (configured as {@code lifeline.retention.periods.<kind>}) once a day and on
 * {@code retention run}.
 */
public interface RetainedData {

    /** The name in configuration and reports, such as {@code closed-cases}. */
    String kind();

    /** What {@link #kind()} means, for {@code retention run} and the README. */
    String description();

    Duration defaultPeriod();

    /**
     * Removes what was last active before {@code cutoff}, or with {@code dryRun} only counts it. Runs in a
     * transaction of its own.
     *
     * @param tally where to count what goes, anonymously, for reports
     * @return how many items went (or would)
     */
    long purge(Instant cutoff, boolean dryRun, Tally tally);

    /** Anonymous counts of removed items: a subject without personal data and the month it was last active. */
    @FunctionalInterface
    interface Tally {
        void add(String subject, LocalDate month, long count);
    }
}
