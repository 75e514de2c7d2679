package org.lifeline.reporting;

import java.util.List;

/**
 * The way from a first message to a surrender, in events counted over the same days: requests started, intakes
 * completed (a case opened from the conversation), cases verified, handovers planned, surrenders. Each case counts
 * once per stage, the first time it gets there. The stages are counted by the days they happened, not followed per
 * person (the history cannot link them), so over a short range a later stage may count cases whose start came
 * before the range.
 *
 * @param campaign {@code null} for all requests together
 */
public record Funnel(String campaign, long started, long intakeCompleted, long verified, long handoverPlanned,
        long surrendered) {

    /** The events each stage counts, in order. */
    static final List<ReportEvent> STAGES = List.of(ReportEvent.REQUEST_STARTED, ReportEvent.INTAKE_COMPLETED,
            ReportEvent.VERIFIED, ReportEvent.HANDOVER_PLANNED, ReportEvent.SURRENDERED);

    /** The stage names, as in the CSV and the console's texts. */
    public static final List<String> STAGE_NAMES = List.of("started", "intake-completed", "verified",
            "handover-planned", "surrendered");

    static Funnel of(String campaign, long[] counts) {
        return new Funnel(campaign, counts[0], counts[1], counts[2], counts[3], counts[4]);
    }

    public List<Long> counts() {
        return List.of(started, intakeCompleted, verified, handoverPlanned, surrendered);
    }

    /**
     * Each stage as a share of the started requests, in whole per cent of the shown counts; null where either is
     * not shown as a number (see {@link Disclosure#percent}).
     */
    public List<Long> percentOfStarted() {
        return counts().stream().map(n -> Disclosure.RULE.percent(n, started)).toList();
    }
}
