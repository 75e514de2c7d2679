package org.lifeline.reporting;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The export of a {@link Report}: the same aggregates, one figure a line, every count shown as on the page (by
 * {@link Disclosure}: by its band of five, under 5 as "<5") and every figure derived from a count under 5 (a median,
 * a rate) left empty, so that no line singles out a person. Operators appear as "operator-1", "operator-2", … by load,
 * never by name. Columns: {@code section,period,dimension,value,measure,figure}.
 */
final class ReportCsv {

    static final String HEADER = "section,period,dimension,value,measure,figure";

    /** Where a cell may begin (the field's start, after a separator) followed by what starts a formula. */
    private static final Pattern FORMULA_START = Pattern.compile("(?:^|(?<=[,;\t\r\n]))(?=[=+\\-@\t\r])");
    private static final Pattern SEPARATOR_OR_QUOTE = Pattern.compile("[,;\t\r\n\"]");

    private final List<String> lines = new ArrayList<>();

    private ReportCsv() {
    }

    static String of(Report report) {
        var csv = new ReportCsv();
        csv.lines.add(HEADER);
        var range = report.from() + ".." + report.until();
        for (var breakdown : report.breakdowns()) {
            var section = breakdown.dimension().equals("kind") ? "cases-opened" : "requests";
            for (var row : breakdown.rows()) {
                for (int i = 0; i < breakdown.values().size(); i++) {
                    csv.count(section, breakdown.period() + ":" + row.period(), breakdown.dimension(),
                            breakdown.values().get(i), "count", row.counts().get(i));
                }
            }
        }
        for (var funnel : report.funnels()) {
            var counts = funnel.counts();
            for (int i = 0; i < counts.size(); i++) {
                csv.count("funnel", range, "campaign", funnel.campaign() == null ? "all" : funnel.campaign(),
                        Funnel.STAGE_NAMES.get(i), counts.get(i));
            }
        }
        for (var closure : report.closures()) {
            csv.count("cases-closed", range, "kind-reason", closure.label(), "count", closure.count());
        }
        var delays = report.delays();
        csv.delay(range, "all", delays.overall());
        delays.byChannel().forEach(d -> csv.delay(range, "channel", d));
        delays.byLanguage().forEach(d -> csv.delay(range, "language", d));
        var today = "now";
        for (var row : report.backlog()) {
            for (int i = 0; i < Reports.AGES.size(); i++) {
                csv.count("backlog", today, "status", row.status(), "age-" + Reports.AGES.get(i), row.counts().get(i));
            }
        }
        var rank = 0;
        for (var load : report.load()) {
            csv.count("operator-load", today, "operator", load.label() == null ? "unassigned" : "operator-" + ++rank,
                    "open-cases", load.count());
        }
        for (var delivery : report.delivery()) {
            csv.count("delivery", range, "channel", delivery.channel(), "delivered", delivery.delivered());
            csv.count("delivery", range, "channel", delivery.channel(), "failed", delivery.failed());
            csv.line("delivery", range, "channel", delivery.channel(), "delivered-percent",
                    orEmpty(delivery.deliveredPercent()));
            csv.line("delivery", range, "channel", delivery.channel(), "failed-percent",
                    orEmpty(delivery.failedPercent()));
        }
        return String.join("\r\n", csv.lines) + "\r\n";
    }

    private void delay(String range, String dimension, Report.Delay delay) {
        count("first-answer", range, dimension, delay.label(), "answers", delay.answers());
        line("first-answer", range, dimension, delay.label(), "median-seconds", orEmpty(delay.shownMedian()));
        line("first-answer", range, dimension, delay.label(), "p90-seconds", orEmpty(delay.shownP90()));
    }

    private void count(String section, String period, String dimension, String value, String measure, long count) {
        line(section, period, dimension, value, measure, Disclosure.RULE.count(count));
    }

    private static String orEmpty(Long figure) {
        return figure == null ? "" : figure.toString();
    }

    private void line(String... fields) {
        lines.add(String.join(",", List.of(fields).stream().map(ReportCsv::field).toList()));
    }

    /**
     * Quoted when needed, and never read as a formula by a spreadsheet: a campaign name is typed by a campaign
     * manager. As OWASP's guidance on CSV injection says, a formula start is neutralised (a ' put before it) at the
     * start of the field and after every separator a spreadsheet may split on (a comma, a semicolon where the
     * regional settings use it, as Ukrainian and Russian ones do, a tab, a line break), and a field holding any of
     * them is quoted.
     */
    static String field(String value) {
        var safe = value.matches("-?\\d+") ? value : FORMULA_START.matcher(value).replaceAll("'");
        return SEPARATOR_OR_QUOTE.matcher(safe).find() ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }
}
