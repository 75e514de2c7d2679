package org.lifeline.console.web;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.lifeline.campaigns.Campaign;
import org.lifeline.campaigns.CampaignManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.reporting.Disclosure;
import org.lifeline.reporting.Funnel;
import org.lifeline.reporting.Report;
import org.lifeline.reporting.ReportFilter;
import org.lifeline.reporting.Reports;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Reports for supervisors and admins: volume, the funnel, speed of the first answer, backlog, operator load and
 * delivery, over a range of days with filters; each chart also as a table, and the same figures as CSV (with small
 * counts suppressed). Looking and exporting are recorded in the access record, without the filters.
 */
@Controller
class ReportsController {

    static final String PATH = "/console/reports";
    static final String CSV = "/console/reports.csv";
    /** Channel and language codes: letters, digits and a few separators, never free text. */
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** The body of a refusal: declared UTF-8, since the texts are Ukrainian as often as not. */
    private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

    private final Reports reports;
    private final CampaignManagement campaigns;
    private final AccessRecord access;
    private final ConsoleLanguage text;

    ReportsController(Reports reports, CampaignManagement campaigns, AccessRecord access, ConsoleLanguage text) {
        this.reports = reports;
        this.campaigns = campaigns;
        this.access = access;
        this.text = text;
    }

    @GetMapping(PATH)
    @Transactional
    String show(@RequestParam(required = false) String from, @RequestParam(required = false) String until,
            @RequestParam(required = false) String channel, @RequestParam(required = false) String language,
            @RequestParam(required = false) String campaign, @RequestParam(required = false) String kind,
            Model model) {
        var problems = new ArrayList<String>();
        var all = campaigns.list();
        var names = names(all);
        var filter = filter(from, until, channel, language, campaign, kind, names, problems);
        access.record("reports.read", null, Outcome.SUCCEEDED);
        var report = reports.report(filter, names);
        model.addAttribute("report", report);
        model.addAttribute("campaigns", all.stream().sorted(Comparator.comparing(Campaign::name)).toList());
        model.addAttribute("disclose", Disclosure.RULE);
        model.addAttribute("filter", filter);
        model.addAttribute("kinds", CaseKind.values());
        model.addAttribute("stages", Funnel.STAGE_NAMES);
        model.addAttribute("ages", Reports.AGES);
        model.addAttribute("problem", problems.isEmpty() ? null
                : String.join(" ", problems.stream().distinct().map(text::text).toList()));
        model.addAttribute("charts", charts(report));
        model.addAttribute("weekly", report.breakdowns().stream().filter(b -> b.period().equals("week")).toList());
        return "console/reports";
    }

    @GetMapping(CSV)
    @Transactional
    ResponseEntity<byte[]> csv(@RequestParam(required = false) String from,
            @RequestParam(required = false) String until, @RequestParam(required = false) String channel,
            @RequestParam(required = false) String language, @RequestParam(required = false) String campaign,
            @RequestParam(required = false) String kind) {
        var problems = new ArrayList<String>();
        var names = names(campaigns.list());
        var filter = filter(from, until, channel, language, campaign, kind, names, problems);
        if (!problems.isEmpty()) {
            return ResponseEntity.badRequest().contentType(TEXT)
                    .body(String.join(" ", problems.stream().distinct().map(text::text).toList())
                            .getBytes(StandardCharsets.UTF_8));
        }
        access.record("reports.export", null, Outcome.SUCCEEDED);
        var body = reports.csv(reports.report(filter, names)).getBytes(StandardCharsets.UTF_8);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("lifeline-report-" + filter.from() + "-" + filter.until() + ".csv").build()
                        .toString())
                .body(body);
    }

    /** Every campaign's name now, by its id. */
    private static Map<UUID, String> names(List<Campaign> campaigns) {
        return campaigns.stream().collect(Collectors.toMap(c -> c.id().value(), Campaign::name));
    }

    /** What was asked, or the last four weeks; a value that is not valid is dropped with a problem named. */
    private ReportFilter filter(String from, String until, String channel, String language, String campaign,
            String kind, Map<UUID, String> campaignNames, List<String> problems) {
        var fallback = reports.lastFourWeeks();
        var first = day(from, fallback.from(), problems);
        var last = day(until, fallback.until(), problems);
        if (last.isBefore(first) || first.plusDays(ReportFilter.MAX_DAYS).isBefore(last)) {
            problems.add("console.reports.invalid.range");
            first = fallback.from();
            last = fallback.until();
        }
        CaseKind caseKind = null;
        if (kind != null && !kind.isBlank()) {
            try {
                caseKind = CaseKind.valueOf(kind.strip());
            } catch (IllegalArgumentException e) {
                problems.add("console.reports.invalid.code");
            }
        }
        return new ReportFilter(first, last, code(channel, problems), code(language, problems),
                campaign(campaign, campaignNames, problems), caseKind);
    }

    /** A campaign is chosen from the list, by its id. */
    private static UUID campaign(String value, Map<UUID, String> campaignNames, List<String> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            var id = UUID.fromString(value.strip());
            if (campaignNames.containsKey(id)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // named below, as for an id of no campaign
        }
        problems.add("console.reports.invalid.campaign");
        return null;
    }

    private static LocalDate day(String value, LocalDate fallback, List<String> problems) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            problems.add("console.reports.invalid.day");
            return fallback;
        }
    }

    private static String code(String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!CODE.matcher(value.strip()).matches()) {
            problems.add("console.reports.invalid.code");
            return null;
        }
        return value.strip();
    }

    /** Drawn from the figures as the tables show them: a bar's height is a figure too. */
    private List<SvgChart> charts(Report report) {
        var disclose = Disclosure.RULE;
        var charts = new ArrayList<SvgChart>();
        charts.add(SvgChart.columns(text.text("console.reports.per-day"),
                report.requestsPerDay().stream().map(Report.Count::label).toList(),
                report.requestsPerDay().stream().map(c -> disclose.rounded(c.count())).toList()));
        var overall = report.funnels().getFirst();
        charts.add(SvgChart.bars(text.text("console.reports.funnel"),
                Funnel.STAGE_NAMES.stream().map(s -> text.text("console.reports.stage." + s)).toList(),
                overall.counts().stream().map(disclose::rounded).toList(),
                overall.counts().stream().map(disclose::count).toList()));
        var byChannel = report.delays().byChannel();
        charts.add(SvgChart.bars(text.text("console.reports.answer.by-channel"),
                byChannel.stream().map(Report.Delay::label).toList(),
                byChannel.stream().map(d -> d.shownMedian() == null ? 0L : d.shownMedian()).toList(),
                byChannel.stream().map(d -> minutes(d.shownMedian())).toList()));
        var delivery = report.delivery();
        charts.add(SvgChart.bars(text.text("console.reports.delivery.chart"),
                delivery.stream().map(Report.Delivery::channel).toList(),
                delivery.stream().map(d -> d.deliveredPercent() == null ? 0L : d.deliveredPercent()).toList(),
                delivery.stream().map(d -> d.deliveredPercent() == null ? "—" : d.deliveredPercent() + " %").toList()));
        return charts;
    }

    /** Seconds as minutes with one decimal, as the page shows them. */
    static String minutes(Long seconds) {
        return seconds == null ? "—" : String.format(Locale.ROOT, "%.1f", seconds / 60.0);
    }
}
