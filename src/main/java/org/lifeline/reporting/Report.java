package org.lifeline.reporting;

import java.time.LocalDate;
import java.util.List;

/**
 * Every figure of the reports, exact; the page and the CSV show each through {@link Disclosure}, never as it is
 * here.
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
    /** Every language the service is not held in ({@code platform.Languages}), counted together. */
    public static final String OTHER_LANGUAGE = "other";

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

        /** The median as shown: none from fewer than 5 answers. */
        public Long shownMedian() {
            return answers >= Disclosure.BASE ? medianSeconds : null;
        }

        public Long shownP90() {
            return answers >= Disclosure.BASE ? p90Seconds : null;
        }
    }

    /** @param counts one per age of {@link Reports#AGES} */
    public record BacklogRow(String status, List<Long> counts, long total) {
    }

    public record Delivery(String channel, long delivered, long failed) {

        public long total() {
            return delivered + failed;
        }

        /** In whole per cent of the shown counts; null without outcomes or when either count is under 5. */
        public Long deliveredPercent() {
            return rates() ? Disclosure.RULE.percent(delivered, total()) : null;
        }

        public Long failedPercent() {
            return rates() ? Disclosure.RULE.percent(failed, total()) : null;
        }

        private boolean rates() {
            return Disclosure.RULE.enough(delivered) && Disclosure.RULE.enough(failed);
        }
    }

    public LocalDate from() {
        return filter.from();
    }

    public LocalDate until() {
        return filter.until();
    }
}
