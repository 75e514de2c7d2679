package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.WeekFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifeline.campaigns.CampaignManagement;
import org.lifeline.campaigns.NewCampaign;
import org.lifeline.cases.CaseId;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.CloseReason;
import org.lifeline.cases.lifecycle.InquiryOutcome;
import org.lifeline.cases.lifecycle.StatusChange;
import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.testing.ManualClock;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.Role;
import org.lifeline.privacy.Retention;
import org.lifeline.reporting.OperatorAnswers;
import org.lifeline.reporting.Report;
import org.lifeline.reporting.ReportFilter;
import org.lifeline.reporting.Reports;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.MockMvcSessionCookies;
import org.lifeline.testing.browser.Axe;
import org.lifeline.testing.browser.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Reports over a generated history: a few thousand requests on five channels, in five languages (and none known),
 * through three campaigns (and none), most becoming cases that move through their lifecycle, some answered by an
 * operator, with outbound messages delivered or failed. The test keeps its own account of what it did and
 * recomputes every figure from it; the page, the CSV, suppression, the refusal of operators, and the figures after
 * retention and erasure are checked against that. The history lies about four years back, before any other test's
 * data (and the retention test's), and is erased and removed again at the end.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.datasource.hikari.maximum-pool-size=5", "lifeline.background-work=false",
                "lifeline.operators.password-failures-per-minute=1000000",
                "lifeline.retention.periods.closed-cases=10d"})
@AutoConfigureMockMvc
@Import(MockMvcSessionCookies.class)
@Tag("integration")
@Tag("browser")
@ExtendWith(DatabaseAvailability.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportsIntegrationTests {

    static final Instant START = Instant.now().minus(Duration.ofDays(1500)).truncatedTo(ChronoUnit.DAYS);
    static final LocalDate FIRST_DAY = LocalDate.ofInstant(START, ZoneOffset.UTC);
    static final int DAYS = 60;
    static final int REQUESTS = 3000;
    static final List<String> CHANNELS = List.of("telegram", "webchat", "whatsapp", "voice", "sms");
    static final List<String> LANGUAGES = Arrays.asList("ru", "uk", "ko", "en", "be", null);
    static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    /** Names with spaces and in Cyrillic, and two that differ only after the 64th character. */
    static final String VIDEO = "Korean video 3 " + RUN;
    static final String LEAFLET = "Листівка «Схід» " + RUN;
    static final String RADIO = "Radio night for the east and the south of the front read twice an hour ";
    static final List<String> CAMPAIGNS = Arrays.asList(VIDEO, LEAFLET, RADIO + "A " + RUN, RADIO + "B " + RUN, null,
            null);
    /** Each campaign's id by its name, and its name by its id. */
    static final Map<String, UUID> CAMPAIGN_IDS = new HashMap<>();
    static final Map<UUID, String> CAMPAIGN_NAMES = new HashMap<>();

    @TestConfiguration(proxyBeanMethods = false)
    static class Setup {

        @Bean
        @Primary
        ManualClock reportsClock() {
            return new ManualClock(START);
        }

    }

    @LocalServerPort
    int port;

    @Autowired
    MockMvc mvc;

    @Autowired
    ManualClock clock;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    @Autowired
    OperatorAnswers answers;

    @Autowired
    Reports reports;

    @Autowired
    Retention retention;

    @Autowired
    OperatorAdministration administration;

    @Autowired
    CampaignManagement campaigns;

    /** What the test did, one entry per countable step: its own record, never read back from the database. */
    record Step(LocalDate day, String event, String channel, String language, String campaign, String kind,
            String reason, Long seconds) {
    }

    /** One generated request and what became of it. */
    static final class Request {
        String channel;
        String language;
        String campaign;
        String externalId;
        ContactId contact;
        ConversationId conversation;
        Instant openedAt;
        CaseKind kind;
        CaseId caseId;
        String reference;
        Instant caseOpenedAt;
        CaseStatus status;
        String assignee;
        boolean answered;
        boolean forgotten;
        final Set<CaseStatus> reached = new HashSet<>();
    }

    record Action(Instant at, Request request, Consumer<Request> work) {
    }

    final List<Step> steps = new ArrayList<>();
    final List<Request> requests = new ArrayList<>();
    final List<String> operators = new ArrayList<>();
    final List<CaseId> enteredByOperators = new ArrayList<>();
    ConsoleAccounts accounts;
    ConsoleAccounts.Account supervisor;
    Report before;

    @BeforeAll
    void generate() {
        accounts = new ConsoleAccounts(mvc, administration, clock);
        CAMPAIGNS.stream().filter(name -> name != null).forEach(name -> {
            var id = campaigns.create(new NewCampaign(name, "ko", null, Set.of(), null, null)).id().value();
            CAMPAIGN_IDS.put(name, id);
            CAMPAIGN_NAMES.put(id, name);
        });
        for (int i = 0; i < 6; i++) {
            operators.add(ConsoleAccounts.uniqueName("rep-op"));
        }
        var random = new Random(18);
        var actions = new ArrayList<Action>();
        for (int i = 0; i < REQUESTS; i++) {
            plan(random, actions);
        }
        // cases an operator entered from a phone call: no conversation, so no channel, language or campaign
        for (int i = 0; i < 40; i++) {
            var at = START.plus(Duration.ofMinutes(random.nextInt(DAYS * 24 * 60)));
            var kind = i % 4 == 0 ? CaseKind.FAMILY_INQUIRY : CaseKind.SURRENDER_REQUEST;
            actions.add(new Action(at, new Request(), r -> {
                enteredByOperators.add(cases.open(kind, null, null, Map.of(), "rep-operator").id());
                step(null, "CASE_OPENED", kind.name(), null, null);
            }));
        }
        actions.sort(Comparator.comparing(Action::at));
        for (var action : actions) {
            clock.advance(Duration.between(clock.instant(), action.at()));
            if (!action.request().forgotten) {
                action.work().accept(action.request());
            }
        }
        clock.advance(Duration.ofDays(DAYS + 2).minus(Duration.between(START, clock.instant())));
    }

    /** One request's story, as timed actions. */
    private void plan(Random random, List<Action> actions) {
        var r = new Request();
        requests.add(r);
        r.channel = CHANNELS.get(random.nextInt(CHANNELS.size()));
        r.language = LANGUAGES.get(random.nextInt(LANGUAGES.size()));
        r.campaign = CAMPAIGNS.get(random.nextInt(CAMPAIGNS.size()));
        r.externalId = "ext-" + random.nextLong(1_000_000_000L, 9_000_000_000L);
        var t = START.plus(Duration.ofSeconds(random.nextLong(DAYS * 86_400L - 7 * 86_400L)));
        actions.add(new Action(t, r, this::open));
        var outbound = 1 + random.nextInt(3);
        for (int i = 0; i < outbound; i++) {
            var way = random.nextInt(20) == 0 ? Way.PENDING
                    : random.nextInt(r.channel.equals("sms") ? 4 : 12) == 0 ? Way.FAILED
                    : Way.values()[random.nextInt(Way.values().length)];
            actions.add(new Action(t.plus(Duration.ofMinutes(1 + random.nextInt(3000))), r, q -> send(q, way)));
        }
        if (random.nextInt(10) < 3) {
            if (random.nextBoolean()) {
                actions.add(new Action(t.plus(Duration.ofSeconds(30 + random.nextInt(20_000))), r, this::answer));
            }
            return;
        }
        var kind = random.nextInt(7) == 0 ? CaseKind.FAMILY_INQUIRY : CaseKind.SURRENDER_REQUEST;
        t = t.plus(Duration.ofMinutes(2 + random.nextInt(90)));
        actions.add(new Action(t, r, q -> openCase(q, kind)));
        if (random.nextInt(10) < 8) {
            var answer = t.plus(Duration.ofSeconds(20 + random.nextInt(random.nextBoolean() ? 600 : 30_000)));
            actions.add(new Action(answer, r, this::answer));
            // a second answer is not a first one
            actions.add(new Action(answer.plus(Duration.ofMinutes(5)), r, this::answer));
        }
        if (random.nextInt(3) > 0) {
            t = t.plus(Duration.ofMinutes(1 + random.nextInt(600)));
            var operator = operators.get(random.nextInt(operators.size()));
            actions.add(new Action(t, r, q -> assign(q, operator)));
        }
        if (random.nextInt(50) == 0) {
            actions.add(new Action(t.plus(Duration.ofHours(1 + random.nextInt(48))), r, this::forget));
            return;
        }
        var steps = new ArrayList<StatusChange>();
        if (kind == CaseKind.SURRENDER_REQUEST) {
            var depth = random.nextInt(10);
            if (depth >= 1) {
                steps.add(StatusChange.to(CaseStatus.IN_CONTACT));
            }
            if (depth >= 4) {
                steps.add(StatusChange.to(CaseStatus.VERIFIED));
            }
            if (depth >= 6) {
                steps.add(StatusChange.to(CaseStatus.HANDOVER_PLANNED));
                if (random.nextInt(4) == 0) {
                    // the plan fell through and was made again: verified and planned once each in the funnel
                    steps.add(StatusChange.to(CaseStatus.VERIFIED));
                    steps.add(StatusChange.to(CaseStatus.HANDOVER_PLANNED));
                }
            }
            if (depth >= 8) {
                steps.add(StatusChange.to(CaseStatus.SURRENDERED));
            } else if (random.nextInt(3) == 0) {
                var reasons = List.of(CloseReason.WITHDRAWN, CloseReason.LOST_CONTACT, CloseReason.PROVOCATION,
                        CloseReason.DUPLICATE, CloseReason.NOT_ELIGIBLE);
                steps.add(StatusChange.close(reasons.get(random.nextInt(reasons.size()))));
            }
        } else {
            var depth = random.nextInt(4);
            if (depth >= 1) {
                steps.add(StatusChange.to(CaseStatus.SEARCHING));
            }
            if (depth >= 2) {
                steps.add(StatusChange.answer(random.nextBoolean() ? InquiryOutcome.CAPTURED
                        : InquiryOutcome.NO_INFORMATION));
            }
            if (depth >= 3) {
                steps.add(StatusChange.close(CloseReason.ANSWER_DELIVERED));
            } else if (depth < 2 && random.nextInt(4) == 0) {
                steps.add(StatusChange.close(CloseReason.DUPLICATE));
            }
        }
        for (var change : steps) {
            t = t.plus(Duration.ofMinutes(30 + random.nextInt(3 * 24 * 60)));
            actions.add(new Action(t, r, q -> transition(q, change)));
        }
    }

    private void open(Request r) {
        r.contact = conversations.findOrCreateContact(r.channel, r.externalId, r.language);
        r.conversation = conversations.openOrResumeConversation(r.contact, r.language, null,
                CAMPAIGN_IDS.get(r.campaign));
        r.openedAt = clock.instant();
        step(r, "REQUEST_STARTED", null, null, null);
    }

    /** What becomes of an outbound message, as channels report it. */
    enum Way { PENDING, DELIVERED, SENT, SENT_THEN_DELIVERED, SENT_THEN_FAILED, FAILED }

    private void send(Request r, Way way) {
        var message = conversations.recordOutbound(r.conversation, "Ваше звернення отримано");
        switch (way) {
            case PENDING -> {
            }
            case DELIVERED -> conversations.updateDelivery(message, DeliveryState.DELIVERED, null);
            case FAILED -> conversations.updateDelivery(message, DeliveryState.FAILED, "test.failed");
            case SENT, SENT_THEN_DELIVERED, SENT_THEN_FAILED -> {
                conversations.markSent(message, "m-" + message.value());
                if (way == Way.SENT_THEN_DELIVERED) {
                    conversations.updateDelivery(message, DeliveryState.DELIVERED, null);
                } else if (way == Way.SENT_THEN_FAILED) {
                    conversations.updateDelivery(message, DeliveryState.FAILED, "test.failed");
                }
            }
        }
        // each message that left counts once as delivered; a failure counts whenever it is reported
        if (way != Way.PENDING && way != Way.FAILED) {
            step(r, "DELIVERED", null, null, null);
        }
        if (way == Way.FAILED || way == Way.SENT_THEN_FAILED) {
            step(r, "FAILED", null, null, null);
        }
    }

    private void answer(Request r) {
        answers.answered(r.conversation);
        if (!r.answered) {
            r.answered = true;
            var since = r.caseOpenedAt != null ? r.caseOpenedAt : r.openedAt;
            step(r, "FIRST_ANSWER", null, null, Duration.between(since, clock.instant()).toSeconds());
        }
    }

    private void openCase(Request r, CaseKind kind) {
        var opened = cases.open(kind, r.contact, r.conversation, Map.of("unit", "unit of " + r.externalId),
                "flow");
        r.kind = kind;
        r.caseId = opened.id();
        r.reference = opened.reference();
        r.caseOpenedAt = clock.instant();
        r.status = CaseStatus.NEW;
        step(r, "CASE_OPENED", kind.name(), null, null);
        step(r, "INTAKE_COMPLETED", kind.name(), null, null);
    }

    private void assign(Request r, String operator) {
        cases.assign(r.caseId, operator, cases.find(r.caseId).orElseThrow().version());
        r.assignee = operator;
    }

    private void transition(Request r, StatusChange change) {
        var operator = r.assignee != null ? r.assignee : operators.getFirst();
        cases.transition(r.caseId, change, "checked", operator, cases.find(r.caseId).orElseThrow().version());
        r.status = change.to();
        if (change.to() == CaseStatus.CLOSED) {
            step(r, "CASE_CLOSED", r.kind.name(), change.reason().name(), null);
        } else if (Set.of(CaseStatus.VERIFIED, CaseStatus.HANDOVER_PLANNED, CaseStatus.SURRENDERED)
                .contains(change.to()) && r.reached.add(change.to())) {
            step(r, change.to().name(), r.kind.name(), null, null);
        }
    }

    /** He asks for his data to be erased while his case is open: it is closed as withdrawn by him. */
    private void forget(Request r) {
        conversations.forget(r.contact);
        r.forgotten = true;
        if (r.caseId != null && r.status != CaseStatus.CLOSED && r.status != CaseStatus.SURRENDERED) {
            r.status = CaseStatus.CLOSED;
            step(r, "CASE_CLOSED", r.kind.name(), "WITHDRAWN", null);
        }
    }

    private void step(Request r, String event, String kind, String reason, Long seconds) {
        var day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        steps.add(r == null || r.conversation == null ? new Step(day, event, null, null, null, kind, reason, seconds)
                : new Step(day, event, r.channel, counted(r.language), r.campaign, kind, reason, seconds));
    }

    /** The service is not held in Belarusian: such phones are counted together as "other". */
    private static String counted(String language) {
        return "be".equals(language) ? "other" : language;
    }

    /** A count as the page and the CSV show it: by its band of five, under 5 as "<5". */
    static String shown(long count) {
        return count < 5 ? "<5" : Long.toString(count / 5 * 5);
    }

    // ---- the figures, recomputed from the test's own account ----

    static ReportFilter all() {
        return new ReportFilter(FIRST_DAY, FIRST_DAY.plusDays(DAYS + 1), null, null, null, null);
    }

    static List<ReportFilter> filters() {
        return List.of(all(),
                new ReportFilter(FIRST_DAY.plusDays(10), FIRST_DAY.plusDays(24), "telegram", null, null, null),
                new ReportFilter(FIRST_DAY, FIRST_DAY.plusDays(DAYS + 1), null, "ko", CAMPAIGN_IDS.get(VIDEO),
                        CaseKind.SURRENDER_REQUEST),
                new ReportFilter(FIRST_DAY.plusDays(3), FIRST_DAY.plusDays(40), "sms", "ru", null,
                        CaseKind.FAMILY_INQUIRY));
    }

    private List<Step> stepsIn(ReportFilter f) {
        Predicate<Step> in = s -> !s.day().isBefore(f.from()) && !s.day().isAfter(f.until())
                && (f.channel() == null || f.channel().equals(s.channel()))
                && (f.language() == null || f.language().equals(s.language()))
                && (f.campaign() == null || f.campaign().equals(CAMPAIGN_IDS.get(s.campaign())))
                && (f.kind() == null || s.kind() == null || f.kind().name().equals(s.kind()));
        return steps.stream().filter(in).toList();
    }

    private static String none(String value) {
        return value == null ? "—" : value;
    }

    /** Every history figure of a report, flattened to name → number, nothing zero. */
    static Map<String, Long> figures(Report report) {
        var figures = new TreeMap<String, Long>();
        report.requestsPerDay().forEach(c -> put(figures, "requests/" + c.label(), c.count()));
        for (var b : report.breakdowns()) {
            for (var row : b.rows()) {
                for (int i = 0; i < b.values().size(); i++) {
                    put(figures, b.dimension() + "/" + b.period() + "/" + row.period() + "/" + b.values().get(i),
                            row.counts().get(i));
                }
            }
        }
        for (var f : report.funnels()) {
            for (int i = 0; i < f.counts().size(); i++) {
                put(figures, "funnel/" + (f.campaign() == null ? "all" : f.campaign()) + "/" + i, f.counts().get(i));
            }
        }
        report.closures().forEach(c -> put(figures, "closed/" + c.label(), c.count()));
        Consumer<Report.Delay> delay = d -> {
            put(figures, "answers/" + d.label(), d.answers());
            put(figures, "median/" + d.label(), d.medianSeconds() == null ? 0 : d.medianSeconds());
            put(figures, "p90/" + d.label(), d.p90Seconds() == null ? 0 : d.p90Seconds());
        };
        delay.accept(new Report.Delay("overall", report.delays().overall().answers(),
                report.delays().overall().medianSeconds(), report.delays().overall().p90Seconds()));
        report.delays().byChannel().forEach(d -> delay.accept(new Report.Delay("channel:" + d.label(), d.answers(),
                d.medianSeconds(), d.p90Seconds())));
        report.delays().byLanguage().forEach(d -> delay.accept(new Report.Delay("language:" + d.label(), d.answers(),
                d.medianSeconds(), d.p90Seconds())));
        report.delivery().forEach(d -> {
            put(figures, "delivered/" + d.channel(), d.delivered());
            put(figures, "failed/" + d.channel(), d.failed());
        });
        return figures;
    }

    private Map<String, Long> expected(ReportFilter f) {
        var figures = new TreeMap<String, Long>();
        var in = stepsIn(f);
        var weeks = WeekFields.ISO;
        for (var s : in) {
            var week = "%d-W%02d".formatted(s.day().get(weeks.weekBasedYear()),
                    s.day().get(weeks.weekOfWeekBasedYear()));
            if (s.event().equals("REQUEST_STARTED")) {
                add(figures, "requests/" + s.day());
                for (var period : List.of("day", "week")) {
                    var label = period.equals("day") ? s.day().toString() : week;
                    add(figures, "channel/" + period + "/" + label + "/" + none(s.channel()));
                    add(figures, "language/" + period + "/" + label + "/" + none(s.language()));
                    add(figures, "campaign/" + period + "/" + label + "/" + none(s.campaign()));
                }
            }
            if (s.event().equals("CASE_OPENED")) {
                add(figures, "kind/day/" + s.day() + "/" + s.kind());
                add(figures, "kind/week/" + week + "/" + s.kind());
            }
            var stage = List.of("REQUEST_STARTED", "INTAKE_COMPLETED", "VERIFIED", "HANDOVER_PLANNED", "SURRENDERED")
                    .indexOf(s.event());
            if (stage >= 0) {
                add(figures, "funnel/all/" + stage);
                add(figures, "funnel/" + none(s.campaign()) + "/" + stage);
            }
            if (s.event().equals("CASE_CLOSED")) {
                add(figures, "closed/" + s.kind() + "/" + s.reason());
            }
            if (s.event().equals("DELIVERED")) {
                add(figures, "delivered/" + s.channel());
            }
            if (s.event().equals("FAILED")) {
                add(figures, "failed/" + s.channel());
            }
        }
        var answered = in.stream().filter(s -> s.event().equals("FIRST_ANSWER")).toList();
        delays(figures, "overall", answered);
        for (var channel : answered.stream().map(s -> none(s.channel())).distinct().toList()) {
            delays(figures, "channel:" + channel,
                    answered.stream().filter(s -> none(s.channel()).equals(channel)).toList());
        }
        for (var language : answered.stream().map(s -> none(s.language())).distinct().toList()) {
            delays(figures, "language:" + language,
                    answered.stream().filter(s -> none(s.language()).equals(language)).toList());
        }
        return figures;
    }

    private static void delays(Map<String, Long> figures, String label, List<Step> answered) {
        var sorted = answered.stream().map(Step::seconds).sorted().toList();
        put(figures, "answers/" + label, sorted.size());
        if (!sorted.isEmpty()) {
            // nearest rank, counted from one
            put(figures, "median/" + label, sorted.get((sorted.size() + 1) / 2 - 1));
            put(figures, "p90/" + label, sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1));
        }
    }

    private static void add(Map<String, Long> figures, String key) {
        figures.merge(key, 1L, Long::sum);
    }

    private static void put(Map<String, Long> figures, String key, long value) {
        if (value != 0) {
            figures.put(key, value);
        }
    }

    /** Open cases of the campaign now, by status and age, and per operator: from the test's own account. */
    private Map<String, Long> expectedNow(String campaign) {
        var figures = new TreeMap<String, Long>();
        var now = clock.instant();
        for (var r : requests) {
            if (r.caseId == null || !campaign.equals(r.campaign) || r.status == CaseStatus.CLOSED
                    || r.status == CaseStatus.SURRENDERED) {
                continue;
            }
            var days = Duration.between(r.caseOpenedAt, now).toMinutes() / (24.0 * 60);
            var age = days < 1 ? 0 : days < 3 ? 1 : days < 7 ? 2 : days < 30 ? 3 : 4;
            add(figures, "backlog/" + r.status + "/" + age);
            add(figures, "load/" + (r.assignee == null ? "nobody" : r.assignee));
        }
        return figures;
    }

    private static Map<String, Long> now(Report report) {
        var figures = new TreeMap<String, Long>();
        report.backlog().forEach(row -> {
            for (int i = 0; i < row.counts().size(); i++) {
                put(figures, "backlog/" + row.status() + "/" + i, row.counts().get(i));
            }
        });
        report.load().forEach(c -> put(figures, "load/" + (c.label() == null ? "nobody" : c.label()), c.count()));
        return figures;
    }

    // ---- the tests ----

    @Test
    @Order(1)
    void everyFigureEqualsItsRecomputationUnderEveryFilter() {
        assertThat(requests).hasSize(REQUESTS);
        assertThat(steps.stream().filter(s -> s.event().equals("CASE_OPENED")).count()).as("a few thousand cases")
                .isGreaterThan(2000);
        for (var filter : filters()) {
            var report = report(filter);
            assertThat(figures(report)).as("figures of %s", filter).isEqualTo(expected(filter));
        }
        for (var campaign : CAMPAIGN_IDS.keySet()) {
            var filter = new ReportFilter(FIRST_DAY, FIRST_DAY.plusDays(DAYS + 1), null, null,
                    CAMPAIGN_IDS.get(campaign), null);
            assertThat(now(report(filter))).as("backlog and load of %s", campaign)
                    .isEqualTo(expectedNow(campaign)).isNotEmpty();
        }
        var funnel = report(all()).funnels().getFirst();
        assertThat(funnel.started()).isGreaterThan(funnel.intakeCompleted());
        assertThat(funnel.intakeCompleted()).isGreaterThan(funnel.verified());
        assertThat(funnel.verified()).isGreaterThan(funnel.handoverPlanned());
        assertThat(funnel.handoverPlanned()).isGreaterThan(funnel.surrendered()).isGreaterThan(0);
    }

    @Test
    @Order(2)
    void theCsvSuppressesSmallCountsAndHoldsNoPersonalData() throws Exception {
        var session = supervisorSession();
        var filter = filters().get(2);
        var response = mvc.perform(get(ReportsController.CSV).session(session)
                        .param("from", filter.from().toString()).param("until", filter.until().toString())
                        .param("language", "ko").param("campaign", CAMPAIGN_IDS.get(VIDEO).toString())
                        .param("kind", "SURRENDER_REQUEST"))
                .andReturn().getResponse();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).startsWith("text/csv");
        assertThat(response.getHeader("Content-Disposition")).startsWith("attachment");
        var csv = response.getContentAsString(StandardCharsets.UTF_8);
        var lines = csv.split("\r\n");
        assertThat(lines[0]).isEqualTo("section,period,dimension,value,measure,figure");

        var expected = expected(filter);
        var sections = Set.of("requests", "cases-opened", "funnel", "cases-closed", "first-answer", "backlog",
                "operator-load", "delivery");
        var period = Pattern.compile("(day:\\d{4}-\\d\\d-\\d\\d|week:\\d{4}-W\\d\\d|\\d{4}-\\d\\d-\\d\\d\\.\\.\\d{4}"
                + "-\\d\\d-\\d\\d|now)");
        var dimensions = Set.of("channel", "language", "campaign", "kind", "kind-reason", "all", "status",
                "operator");
        var values = new HashSet<String>(List.of("all", "—", "unassigned"));
        values.addAll(CHANNELS);
        LANGUAGES.stream().filter(l -> l != null).map(ReportsIntegrationTests::counted).forEach(values::add);
        CAMPAIGNS.stream().filter(c -> c != null).forEach(values::add);
        Arrays.stream(CaseKind.values()).forEach(k -> values.add(k.name()));
        Arrays.stream(CaseStatus.values()).forEach(s -> values.add(s.name()));
        Arrays.stream(CaseKind.values()).forEach(k -> Arrays.stream(CloseReason.values())
                .forEach(reason -> values.add(k.name() + "/" + reason.name())));
        var measures = Pattern.compile("count|started|intake-completed|verified|handover-planned|surrendered|answers|"
                + "median-seconds|p90-seconds|age-[a-z0-9-]+|open-cases|delivered|failed|delivered-percent|"
                + "failed-percent");
        var suppressedSeen = 0;
        var roundedSeen = 0;
        for (var line : Arrays.asList(lines).subList(1, lines.length)) {
            var f = line.split(",", -1);
            assertThat(f).as(line).hasSize(6);
            assertThat(sections).as(line).contains(f[0]);
            assertThat(f[1]).as(line).matches(period);
            assertThat(dimensions).as(line).contains(f[2]);
            assertThat(values.contains(f[3]) || f[3].matches("operator-\\d+")).as(line).isTrue();
            assertThat(f[4]).as(line).matches(measures);
            assertThat(f[5]).as(line).matches("\\d*|<5");
            if (f[5].matches("[1-4]") && !f[4].endsWith("-seconds") && !f[4].endsWith("-percent")) {
                throw new AssertionError("a count below 5 left the console: " + line);
            }
            if (f[0].equals("requests") && f[1].startsWith("day:")) {
                var count = expected.getOrDefault(f[2] + "/day/" + f[1].substring(4) + "/" + f[3], 0L);
                assertThat(f[5]).as(line).isEqualTo(shown(count));
                if (count > 0 && count < 5) {
                    suppressedSeen++;
                } else if (count % 5 != 0) {
                    roundedSeen++;
                }
            }
            if (f[0].equals("funnel") && f[3].equals("all")) {
                var stage = List.of("started", "intake-completed", "verified", "handover-planned", "surrendered")
                        .indexOf(f[4]);
                var count = expected.getOrDefault("funnel/all/" + stage, 0L);
                assertThat(f[5]).as(line).isEqualTo(shown(count));
            }
            if (f[0].equals("first-answer") && f[4].equals("answers") && f[5].equals("<5")) {
                assertThat(csv).as("no median of fewer than five answers")
                        .contains(String.join(",", f[0], f[1], f[2], f[3], "median-seconds", ""));
            }
        }
        assertThat(suppressedSeen).as("small counts suppressed").isPositive();
        assertThat(roundedSeen).as("and the others rounded down to a multiple of 5").isPositive();

        var full = mvc.perform(get(ReportsController.CSV).session(session)
                        .param("from", FIRST_DAY.toString()).param("until", FIRST_DAY.plusDays(DAYS + 1).toString()))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(full.lines().count()).isGreaterThan(500);
        for (var r : requests) {
            assertThat(full).doesNotContain(r.externalId, r.conversation.value().toString(),
                    r.contact.value().toString());
            if (r.caseId != null) {
                assertThat(full).doesNotContain(r.caseId.value().toString(), r.reference);
            }
        }
        for (var operator : operators) {
            assertThat(full).as("operators by rank, not by name").doesNotContain(operator);
        }
        assertThat(full).contains("operator-load,now,operator,operator-1,open-cases,");
    }

    @Test
    @Order(3)
    void operatorsAndCoordinatorsAreRefusedSupervisorsAndAdminsAreNot() throws Exception {
        for (var role : Role.values()) {
            var session = accounts.signIn(accounts.create(role));
            var allowed = role == Role.SUPERVISOR || role == Role.ADMIN;
            for (var path : List.of(ReportsController.PATH, ReportsController.CSV)) {
                assertThat(mvc.perform(get(path).session(session)).andReturn().getResponse().getStatus())
                        .as("%s %s", role, path).isEqualTo(allowed ? 200 : 403);
            }
        }
    }

    @Test
    @Order(4)
    void thePageShowsTheFiguresInUkrainianAndEnglish() throws Exception {
        var session = supervisorSession();
        var filter = all();
        var page = Jsoup.parse(mvc.perform(get(ReportsController.PATH).session(session)
                        .param("from", filter.from().toString()).param("until", filter.until().toString()))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
        assertThat(page.selectFirst("h1").text()).isEqualTo("Звіти");
        assertThat(page.select("svg.chart")).hasSizeGreaterThanOrEqualTo(4);
        assertThat(page.select("svg.chart[role=img][aria-label]")).hasSameSizeAs(page.select("svg.chart"));
        assertThat(page.select("[style]")).as("no inline style: the CSP forbids it").isEmpty();
        assertThat(page.select("script:not([src])")).as("no inline script").isEmpty();
        var expected = expected(filter);
        var funnel = page.select("section[aria-labelledby=funnel] table tbody tr").first().select("td span:first-child");
        assertThat(funnel.eachText()).as("as the CSV shows them").containsExactly(
                shown(expected.get("funnel/all/0")), shown(expected.get("funnel/all/1")),
                shown(expected.get("funnel/all/2")), shown(expected.get("funnel/all/3")),
                shown(expected.get("funnel/all/4")));
        assertThat(page.select("main section:not([aria-labelledby=delivery]) td").eachText())
                .as("no count under 5 on the page either")
                .noneMatch(cell -> cell.matches("[1-4]"));
        assertThat(page.text()).contains("Воронка", "Час до першої відповіді оператора", "Доставлення");

        mvc.perform(post("/console/language").session(session).with(csrf()).param("language", "en"));
        var english = Jsoup.parse(mvc.perform(get(ReportsController.PATH).session(session))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
        assertThat(english.selectFirst("h1").text()).isEqualTo("Reports");
        assertThat(english.text()).contains("Funnel", "Time to the first operator answer", "Backlog now");
        mvc.perform(post("/console/language").session(session).with(csrf()).param("language", "uk"));

        var refused = Jsoup.parse(mvc.perform(get(ReportsController.PATH).session(session).param("from", "yesterday"))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
        assertThat(refused.selectFirst(".problem").text()).contains("2026-01-31");
    }

    @Test
    @Order(5)
    void thePageRendersInChromiumWithoutSeriousAccessibilityViolations() {
        var account = supervisor();
        try (var browser = Browser.start()) {
            var driver = browser.driver();
            signIn(driver, account);
            driver.get("http://127.0.0.1:" + port + ReportsController.PATH + "?from=" + FIRST_DAY + "&until="
                    + FIRST_DAY.plusDays(DAYS + 1));
            new WebDriverWait(driver, Browser.PATIENCE)
                    .until(ExpectedConditions.textToBe(By.tagName("h1"), "Звіти"));
            assertThat(driver.findElements(By.cssSelector("svg.chart rect.bar"))).hasSizeGreaterThan(DAYS);
            browser.screenshot("console-uk-reports");
            assertThat(Axe.failing(driver)).as("accessibility of the reports").isEmpty();
            assertThat(browser.consoleMessages()).as("nothing refused by the CSP")
                    .noneMatch(message -> message.contains("Content Security Policy"));
            driver.manage().window().setSize(new Dimension(1280, 4000));
            browser.screenshot("console-uk-reports-wide");
        }
    }

    @Test
    @Order(6)
    void figuresStayTheSameAfterErasureAndRetention() {
        before = report(all());
        // everyone whose request is over asks for his data to be erased; then retention removes the closed cases
        var done = requests.stream().filter(r -> !r.forgotten && (r.caseId == null || r.status == CaseStatus.CLOSED
                || r.status == CaseStatus.SURRENDERED)).toList();
        done.forEach(r -> {
            conversations.forget(r.contact);
            r.forgotten = true;
        });
        clock.advance(Duration.ofDays(30));
        retention.run(false);

        var closed = done.stream().filter(r -> r.caseId != null).toList();
        assertThat(closed).isNotEmpty();
        assertThat(closed).as("retention removed the finished cases")
                .allMatch(r -> cases.find(r.caseId).isEmpty());
        assertThat(figures(report(all()))).isEqualTo(figures(before)).isEqualTo(expected(all()));
    }

    @Test
    @Order(7)
    void campaignsAreChosenByIdAndShownByTheirNames() throws Exception {
        var session = supervisorSession();
        var page = Jsoup.parse(mvc.perform(get(ReportsController.PATH).session(session))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
        for (var campaign : CAMPAIGN_IDS.entrySet()) {
            assertThat(page.select("select#campaign option[value=" + campaign.getValue() + "]").text())
                    .as("the page offers %s", campaign.getKey()).isEqualTo(campaign.getKey());
        }

        var first = RADIO + "A " + RUN;
        var csv = mvc.perform(get(ReportsController.CSV).session(session).param("from", FIRST_DAY.toString())
                        .param("until", FIRST_DAY.plusDays(DAYS + 1).toString())
                        .param("campaign", CAMPAIGN_IDS.get(first).toString()))
                .andReturn().getResponse();
        assertThat(csv.getStatus()).isEqualTo(200);
        var funnels = csv.getContentAsString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("funnel,"))
                .map(l -> l.split(",")[3]).distinct().toList();
        assertThat(funnels).as("only the one chosen, though another's name begins with the same 64 characters")
                .containsExactly("all", first);

        var refused = mvc.perform(get(ReportsController.CSV).session(session).param("campaign", "Korean video 3"))
                .andReturn().getResponse();
        assertThat(refused.getStatus()).isEqualTo(400);
        assertThat(refused.getContentType()).isEqualTo("text/plain;charset=UTF-8");
        assertThat(refused.getContentAsString(StandardCharsets.UTF_8)).isEqualTo("Кампанію обирають зі списку.");
    }

    @AfterAll
    void eraseEverything() {
        // what this class made goes, so that no later test finds old data it did not make
        for (var r : requests) {
            if (r.caseId != null && !r.forgotten && r.status == CaseStatus.ANSWERED) {
                cases.transition(r.caseId, StatusChange.close(CloseReason.ANSWER_DELIVERED), null, "rep-operator",
                        cases.find(r.caseId).orElseThrow().version());
            }
        }
        for (var id : enteredByOperators) {
            var kase = cases.find(id).orElseThrow();
            cases.transition(id, StatusChange.close(CloseReason.WITHDRAWN), null, "rep-operator", kase.version());
        }
        requests.stream().filter(r -> r.contact != null && !r.forgotten).forEach(r -> conversations.forget(r.contact));
        clock.advance(Duration.ofDays(30));
        retention.run(false);
        CAMPAIGN_IDS.clear();
        CAMPAIGN_NAMES.clear();
    }

    /** The report as the console reads it: with each campaign's name now. */
    private Report report(ReportFilter filter) {
        return reports.report(filter, CAMPAIGN_NAMES);
    }

    private MockHttpSession supervisorSession() throws Exception {
        return accounts.signIn(supervisor());
    }

    private ConsoleAccounts.Account supervisor() {
        if (supervisor == null) {
            supervisor = accounts.create(Role.SUPERVISOR);
        }
        return supervisor;
    }

    private void signIn(WebDriver driver, ConsoleAccounts.Account account) {
        var wait = new WebDriverWait(driver, Browser.PATIENCE);
        driver.get("http://127.0.0.1:" + port + "/console/login");
        driver.findElement(By.id("username")).sendKeys(account.username());
        driver.findElement(By.id("password")).sendKeys(ConsoleAccounts.PASSWORD);
        Browser.clickAndLoad(driver, driver.findElement(By.cssSelector("main button[type=submit]")));
        wait.until(ExpectedConditions.urlMatches(".*/console/login/code$"));
        driver.findElement(By.id("code")).sendKeys(accounts.nextCode(account.secret()));
        Browser.clickAndLoad(driver, driver.findElement(By.cssSelector("main button[type=submit]")));
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Черга"));
    }
}
