package org.lifeline.reporting;

import java.time.LocalDate;
import java.util.Objects;
import java.util.UUID;

import org.lifeline.cases.lifecycle.CaseKind;

/**
 * What a report covers: UTC days {@code from} to {@code until}, both included, and optionally one channel, language,
 * campaign (by its id) and case kind. The kind narrows the case figures only: a request has no kind until its intake
 * ends.
 */
public record ReportFilter(LocalDate from, LocalDate until, String channel, String language, UUID campaign,
        CaseKind kind) {

    /** A report over more days is refused: a few years is all the service has. */
    public static final int MAX_DAYS = 3 * 366;

    public ReportFilter {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (until.isBefore(from)) {
            throw new IllegalArgumentException("The last day comes before the first");
        }
        if (from.plusDays(MAX_DAYS).isBefore(until)) {
            throw new IllegalArgumentException("A report covers at most " + MAX_DAYS + " days");
        }
        channel = blankToNull(channel);
        language = blankToNull(language);
    }

    boolean matches(EventHistory.Dimensions dimensions) {
        return (channel == null || channel.equals(dimensions.channel()))
                && (language == null || language.equals(dimensions.language()))
                && (campaign == null || campaign.equals(dimensions.campaign()));
    }

    boolean matchesKind(String caseKind) {
        return kind == null || kind.name().equals(caseKind);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
