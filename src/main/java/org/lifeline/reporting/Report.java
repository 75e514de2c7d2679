package org.lifeline.reporting;

import java.time.LocalDate;
import java.util.List;

/**
 * Every figure of the reports page, exact (the console shows them to supervisors); {@link Reports#csv} suppresses
 * the small ones for whatever leaves the console.
 *
 * @param requestsPerDay requests started per day, every day of the range
 * @param breakdowns requests by channel, language and campaign, and cases opened by kind, per day and per week
 * @param funnels the overall funnel first, then one per campaign (a request without a campaign under "—")
 * @param closures cases closed, by kind and reason ({@code SURRENDER_REQUEST/PROVOCATION}), in key order
 * @param backlog open cases now, by status and age (from the live cases, not the history)
 * @param load open cases per operator now; the unassigned ones under {@code null}
 */
public record Report(ReportFilter filter, List<Count> requestsPerDay, List<Breakdown> breakdowns,
        List<Funnel> funnels, List<Count> closures, Delays delays, List<BacklogRow> backlog, List<Count> load,
        List<Delivery> delivery) {

    /** A label for what is not known: a request without a campaign, or a language not set yet. */
    public static final String NONE = "—";

    public record Count(String label, long count) {
    }

    /**
     * @param dimension {@code channel}, {@code language}, {@code campaign} or {@code kind}
     * @param period {@code day} or {@code week} (ISO weeks, such as {@code 2026-W48})
     * @param values the columns
     */
    public record Breakdown(String dimension, String period, List<String> values, List<Row> rows) {

        public record Row(String period, List<Long> counts, long total) {
        }
    }

    /** Time to the first operator answer, overall and by channel and by language. */
    public record Delays(Delay overall, List<Delay> byChannel, List<Delay> byLanguage) {
    }

    /** @param medianSeconds nearest-rank median; {@code null} without answers (so is {@code p90Seconds}) */
    public record Delay(String label, long answers, Long medianSeconds, Long p90Seconds) {
    }

    /** @param counts one per age of {@link Reports#AGES} */
    public record BacklogRow(String status, List<Long> counts, long total) {
    }

    public record Delivery(String channel, long delivered, long failed) {

        public long total() {
            return delivered + failed;
        }

        /** In whole per cent; 0 without any outcome. */
        public long deliveredPercent() {
            return total() == 0 ? 0 : Math.round(100.0 * delivered / total());
        }

        public long failedPercent() {
            return total() == 0 ? 0 : 100 - deliveredPercent();
        }
    }

    public LocalDate from() {
        return filter.from();
    }

    public LocalDate until() {
        return filter.until();
    }
}
