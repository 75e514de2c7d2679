package org.lifeline.reporting;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.CaseView;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.reporting.EventHistory.Cell;
import org.lifeline.reporting.EventHistory.Delay;
import org.lifeline.reporting.Report.BacklogRow;
import org.lifeline.reporting.Report.Breakdown;
import org.lifeline.reporting.Report.Count;
import org.lifeline.reporting.Report.Delays;
import org.lifeline.reporting.Report.Delivery;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Computes the reports from the anonymous history (and, for the backlog and operator load, from the open cases now).
 * Every figure is computed here and only here, for the page and the CSV alike.
 */
@Service
@Transactional(readOnly = true)
public class Reports {

    /** Ages of open cases, as upper bounds: under a day, under three days, under a week, under 30 days, older. */
    public static final List<String> AGES = List.of("under-1d", "1-3d", "3-7d", "7-30d", "over-30d");
    private static final List<Duration> AGE_BOUNDS = List.of(Duration.ofDays(1), Duration.ofDays(3),
            Duration.ofDays(7), Duration.ofDays(30));

    private final EventHistory history;
    private final CaseManagement cases;
    private final EventRecorder recorder;
    private final Clock clock;

    Reports(EventHistory history, CaseManagement cases, EventRecorder recorder, Clock clock) {
        this.history = history;
        this.cases = cases;
        this.recorder = recorder;
        this.clock = clock;
    }

    /** The last four weeks up to today (UTC). */
    public ReportFilter lastFourWeeks() {
        var today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        return new ReportFilter(today.minusDays(27), today, null, null, null, null);
    }

    /**
     * @param campaignNames each campaign's name now, by its id: the history keeps only the id, so a report shows
     *        the name a campaign has when it is read (and its id, which names nothing, if it has none)
     */
    public Report report(ReportFilter filter, Map<UUID, String> campaignNames) {
        Function<UUID, String> campaign = id -> id == null ? null : campaignNames.getOrDefault(id, id.toString());
        var cells = history.cells(filter.from(), filter.until()).stream()
                .filter(cell -> filter.matches(cell.dimensions()))
                .filter(cell -> !isCaseEvent(cell.event()) || filter.matchesKind(cell.caseKind()))
                .toList();
        var requests = cells.stream().filter(c -> c.event() == ReportEvent.REQUEST_STARTED).toList();
        var opened = cells.stream().filter(c -> c.event() == ReportEvent.CASE_OPENED).toList();
        var perDay = new LinkedHashMap<LocalDate, Long>();
        filter.from().datesUntil(filter.until().plusDays(1)).forEach(day -> perDay.put(day, 0L));
        requests.forEach(c -> perDay.merge(c.day(), c.count(), Long::sum));
        var breakdowns = new ArrayList<Breakdown>();
        for (var period : List.of("day", "week")) {
            breakdowns.add(breakdown("channel", period, requests, c -> c.dimensions().channel(), filter));
            breakdowns.add(breakdown("language", period, requests, c -> c.dimensions().language(), filter));
            breakdowns.add(breakdown("campaign", period, requests, c -> campaign.apply(c.dimensions().campaign()),
                    filter));
            breakdowns.add(breakdown("kind", period, opened, Cell::caseKind, filter));
        }
        return new Report(filter,
                perDay.entrySet().stream().map(e -> new Count(e.getKey().toString(), e.getValue())).toList(),
                breakdowns, funnels(cells, campaign), closures(cells), delays(filter), backlog(filter), load(filter), delivery(cells));
    }

    private static boolean isCaseEvent(ReportEvent event) {
        return switch (event) {
            case INTAKE_COMPLETED, CASE_OPENED, VERIFIED, HANDOVER_PLANNED, SURRENDERED, CASE_CLOSED -> true;
            case REQUEST_STARTED, FIRST_ANSWER, DELIVERED, FAILED -> false;
        };
    }

    private static Breakdown breakdown(String dimension, String period, List<Cell> cells,
            Function<Cell, String> value, ReportFilter filter) {
        var counts = new TreeMap<String, Map<String, Long>>();
        filter.from().datesUntil(filter.until().plusDays(1))
                .forEach(day -> counts.putIfAbsent(label(day, period), new TreeMap<>()));
        var values = new TreeSet<String>();
        for (var cell : cells) {
            var v = orNone(value.apply(cell));
            values.add(v);
            counts.get(label(cell.day(), period)).merge(v, cell.count(), Long::sum);
        }
        var columns = List.copyOf(values);
        var rows = counts.entrySet().stream().map(e -> {
            var row = columns.stream().map(v -> e.getValue().getOrDefault(v, 0L)).toList();
            return new Breakdown.Row(e.getKey(), row, row.stream().mapToLong(Long::longValue).sum());
        }).toList();
        return new Breakdown(dimension, period, columns, rows);
    }

    static String label(LocalDate day, String period) {
        return period.equals("day") ? day.toString() : "%d-W%02d".formatted(day.get(IsoFields.WEEK_BASED_YEAR),
                day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    /** The overall funnel, then one per campaign in order of their names (no campaign last). */
    private static List<Funnel> funnels(List<Cell> cells, Function<UUID, String> campaign) {
        var overall = new long[Funnel.STAGES.size()];
        var byCampaign = new TreeMap<String, long[]>(Comparator.nullsLast(Comparator.naturalOrder()));
        for (var cell : cells) {
            var stage = Funnel.STAGES.indexOf(cell.event());
            if (stage < 0) {
                continue;
            }
            overall[stage] += cell.count();
            byCampaign.computeIfAbsent(campaign.apply(cell.dimensions().campaign()),
                    k -> new long[Funnel.STAGES.size()])[stage] += cell.count();
        }
        var funnels = new ArrayList<Funnel>();
        funnels.add(Funnel.of(null, overall));
        byCampaign.forEach((name, counts) -> funnels.add(Funnel.of(orNone(name), counts)));
        return funnels;
    }

    private static List<Count> closures(List<Cell> cells) {
        var byReason = new TreeMap<String, Long>();
        cells.stream().filter(c -> c.event() == ReportEvent.CASE_CLOSED)
                .forEach(c -> byReason.merge(c.caseKind() + "/" + c.reason(), c.count(), Long::sum));
        return byReason.entrySet().stream().map(e -> new Count(e.getKey(), e.getValue())).toList();
    }

    private Delays delays(ReportFilter filter) {
        var delays = history.delays(filter.from(), filter.until()).stream()
                .filter(d -> filter.matches(d.dimensions())).toList();
        return new Delays(delay("all", delays), grouped(delays, d -> d.dimensions().channel()),
                grouped(delays, d -> d.dimensions().language()));
    }

    private static List<Report.Delay> grouped(List<Delay> delays, Function<Delay, String> key) {
        return delays.stream().collect(Collectors.groupingBy(d -> orNone(key.apply(d)), TreeMap::new,
                        Collectors.toList()))
                .entrySet().stream().map(e -> delay(e.getKey(), e.getValue())).toList();
    }

    private static Report.Delay delay(String label, List<Delay> delays) {
        var seconds = delays.stream().mapToLong(Delay::seconds).sorted().toArray();
        return new Report.Delay(label, seconds.length, percentile(seconds, 50), percentile(seconds, 90));
    }

    /** The nearest-rank percentile: the smallest value with at least {@code p} per cent of them at or below it. */
    static Long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return null;
        }
        var rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** Open cases now (surrendered ones are done), by status and age since opening. */
    private List<BacklogRow> backlog(ReportFilter filter) {
        var now = clock.instant();
        var rows = new TreeMap<CaseStatus, long[]>();
        for (var kase : openCases(filter)) {
            var age = Duration.between(kase.createdAt(), now);
            var bucket = 0;
            while (bucket < AGE_BOUNDS.size() && age.compareTo(AGE_BOUNDS.get(bucket)) >= 0) {
                bucket++;
            }
            rows.computeIfAbsent(kase.status(), s -> new long[AGES.size()])[bucket]++;
        }
        return rows.entrySet().stream().map(e -> new BacklogRow(e.getKey().name(),
                Arrays.stream(e.getValue()).boxed().toList(), Arrays.stream(e.getValue()).sum())).toList();
    }

    /** Open cases per operator now, the busiest first; the unassigned ones last, under {@code null}. */
    private List<Count> load(ReportFilter filter) {
        var perOperator = new TreeMap<String, Long>(Comparator.nullsLast(Comparator.naturalOrder()));
        openCases(filter).forEach(kase -> perOperator.merge(kase.assignee(), 1L, Long::sum));
        return perOperator.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Long> e) -> e.getKey() == null)
                        .thenComparing(Map.Entry.<String, Long>comparingByValue().reversed()))
                .map(e -> new Count(e.getKey(), e.getValue())).toList();
    }

    private List<CaseView> openCases(ReportFilter filter) {
        return cases.active().stream()
                .filter(kase -> kase.status() != CaseStatus.SURRENDERED)
                .filter(kase -> filter.matchesKind(kase.kind().name()))
                .filter(kase -> filter.channel() == null && filter.language() == null && filter.campaign() == null
                        || kase.conversation() != null && filter.matches(recorder.dimensions(kase.conversation())))
                .toList();
    }

    private static List<Delivery> delivery(List<Cell> cells) {
        var byChannel = new TreeMap<String, long[]>();
        for (var cell : cells) {
            if (cell.event() == ReportEvent.DELIVERED || cell.event() == ReportEvent.FAILED) {
                byChannel.computeIfAbsent(orNone(cell.dimensions().channel()), c -> new long[2])
                        [cell.event() == ReportEvent.DELIVERED ? 0 : 1] += cell.count();
            }
        }
        return byChannel.entrySet().stream().map(e -> new Delivery(e.getKey(), e.getValue()[0], e.getValue()[1]))
                .toList();
    }

    /** The CSV export of the report (see {@link ReportCsv}): what may leave the console. */
    public String csv(Report report) {
        return ReportCsv.of(report);
    }

    private static String orNone(String value) {
        return value == null ? Report.NONE : value;
    }
}
