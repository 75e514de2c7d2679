package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lifeline.campaigns.CampaignId;
import org.lifeline.campaigns.CampaignManagement;
import org.lifeline.campaigns.NewCampaign;
import org.lifeline.cases.CaseId;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.MessageId;
import org.lifeline.operators.Role;
import org.lifeline.testing.ConsoleTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every console route against every role, allowed and refused, through the whole security chain with sessions
 * signed in the real way. A route added to the console without a row here fails {@link #everyConsoleRouteIsInTheTable}.
 */
@ConsoleTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleRoutesIntegrationTests extends ConsoleFixture {

    /** Who asks: nobody, or someone signed in with a role. */
    enum Who { ANONYMOUS, OPERATOR, COORDINATOR, SUPERVISOR, ADMIN }

    private static final String SIGN_IN = "302 /console/login";
    private static final String EXPIRED = "302 /console/login?expired";
    private static final String USERS = "302 /console/users";
    /** Back to the case page: the change was made, or refused with a message there. */
    private static final String CASE = "302 /console/cases/{case}";
    private static final String HANDOVERS = "302 /console/handovers";
    private static final String CAMPAIGNS = "302 /console/campaigns";
    private static final String NEW_USER = "username=" + ConsoleAccounts.uniqueName("made")
            + "&role=OPERATOR&password=" + ConsoleAccounts.PASSWORD;

    /** What each route answers to each of {@link Who}, in that order. {target} is an operator account's id,
     * {case} a case with its {conversation}, {lone} a conversation without a case, {attachment} a photo in {conversation}. The changes these rows ask for are
     * refused (no reason given, no such assignee), so every cell starts from the same case. */
    static final List<Row> TABLE = List.of(
            row("GET /console", SIGN_IN, "200", "200", "200", USERS),
            row("GET /console/events", SIGN_IN, "200", "200", "200", "403"),
            row("GET /console/cases/{case}", SIGN_IN, "200", "200", "200", "403"),
            row("GET /console/conversations/{conversation}", SIGN_IN, CASE, CASE, CASE, "403"),
            row("GET /console/conversations/{lone}", SIGN_IN, "200", "200", "200", "403"),
            row("GET /console/attachments/{attachment}", SIGN_IN, "200", "200", "200", "403"),
            row("POST /console/conversations/{conversation}/replies", SIGN_IN, CASE, "403", "403", "403"),
            row("POST /console/cases/{case}/status?to=IN_CONTACT&reason=&version=0", SIGN_IN, CASE, CASE, "403",
                    "403"),
            row("POST /console/cases/{case}/provocation?reason=&version=0", SIGN_IN, CASE, CASE, "403", "403"),
            row("POST /console/cases/{case}/assignee?assignee=nobody-by-this-name&version=0", SIGN_IN, CASE, CASE,
                    CASE, "403"),
            row("GET /console/handovers", SIGN_IN, "403", "200", "403", "403"),
            row("POST /console/handovers/{case}/plan?version=0", SIGN_IN, "403", HANDOVERS, "403", "403"),
            row("POST /console/handovers/{case}/outcome?outcome=SURRENDERED&reason=&version=0", SIGN_IN, "403",
                    HANDOVERS, "403", "403"),
            row("GET /console/duty", SIGN_IN, "200", "200", "200", "403"),
            row("POST /console/duty?onDuty=false", SIGN_IN, "302 /console/duty", "302 /console/duty",
                    "302 /console/duty", "403"),
            row("GET /console/access", SIGN_IN, "403", "403", "200", "200"),
            row("GET /console/access?action=case.&outcome=REFUSED&from=2026-01-01&until=2026-12-31", SIGN_IN, "403",
                    "403", "200", "200"),
            // without the confirmation box ticked nothing is erased: back to the page with a message
            row("POST /console/conversations/{lone}/erase", SIGN_IN, "403", "403",
                    "302 /console/conversations/{lone}", "403"),
            row("GET /console/campaigns", SIGN_IN, "403", "403", "200", "200"),
            // a campaign without a name is refused: back to the list with a message
            row("POST /console/campaigns?name=&language=ko", SIGN_IN, "403", "403", CAMPAIGNS, CAMPAIGNS),
            row("GET /console/campaigns/{campaign}", SIGN_IN, "403", "403", "200", "200"),
            // the test configuration publishes one Telegram bot: the campaign's first entry point
            row("GET /console/campaigns/{campaign}/qr/{n}", SIGN_IN, "403", "403", "200", "200"),
            row("GET /console/campaigns/{campaign}/qr/1", SIGN_IN, "403", "403", "404", "404"),
            row("POST /console/campaigns/{campaign}/active?active=true", SIGN_IN, "403", "403",
                    CAMPAIGNS + "/{campaign}", CAMPAIGNS + "/{campaign}"),
            row("GET /console/reports", SIGN_IN, "403", "403", "200", "200"),
            row("GET /console/reports.csv?from=2026-01-01&until=2026-01-31&kind=FAMILY_INQUIRY", SIGN_IN, "403",
                    "403", "200", "200"),
            row("GET /console/users", SIGN_IN, "403", "403", "403", "200"),
            row("POST /console/users?" + NEW_USER, SIGN_IN, "403", "403", "403", USERS),
            row("POST /console/users/{target}/enabled?enabled=true", SIGN_IN, "403", "403", "403", USERS),
            row("POST /console/users/{target}/role?role=OPERATOR", SIGN_IN, "403", "403", "403", USERS),
            row("POST /console/users/{target}/second-factor-reset", SIGN_IN, "403", "403", "403", USERS),
            row("POST /console/users/password?id={target}&password=" + ConsoleAccounts.PASSWORD + "-temporary", SIGN_IN,
                    "403", "403", "403", USERS),
            row("POST /console/provider-copies", SIGN_IN, "403", "403", "403", USERS),
            row("GET /console/inbound-failed", SIGN_IN, "403", "403", "403", "200"),
            // no update 0 ({n}) is set aside: refused, back to the list with a message
            row("POST /console/inbound-failed/{n}/retry", SIGN_IN, "403", "403", "403", "302 /console/inbound-failed"),
            row("POST /console/inbound-failed/{n}/discard", SIGN_IN, "403", "403", "403", "302 /console/inbound-failed"),
            row("POST /console/language?language=en", SIGN_IN, "302 /console", "302 /console", "302 /console",
                    "302 /console"),
            row("GET /console/account/password", SIGN_IN, "200", "200", "200", "200"),
            // a wrong current password: refused, nothing changed, for every role alike
            row("POST /console/account/password?current=not-the-password&password=" + ConsoleAccounts.PASSWORD
                    + "-new&repeat=" + ConsoleAccounts.PASSWORD + "-new", SIGN_IN, "422", "422", "422", "422"),
            row("GET /console/login", "200", "302 /console", "302 /console", "302 /console", "302 /console"),
            row("POST /console/login?username=nobody-here&password=" + ConsoleAccounts.PASSWORD,
                    "200", "200", "200", "200", "200"),
            row("GET /console/login/code", EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED),
            row("POST /console/login/code?code=123456", EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED),
            row("GET /console/login/enrol", EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED),
            row("POST /console/login/enrol?code=123456", EXPIRED, EXPIRED, EXPIRED, EXPIRED, EXPIRED),
            row("GET /console/login/enrol/qr.png", "404", "404", "404", "404", "404"),
            row("GET /console/setup", "404", "404", "404", "404", "404"),
            row("POST /console/setup?username=late-admin&password=" + ConsoleAccounts.PASSWORD
                    + "&repeated=" + ConsoleAccounts.PASSWORD, "404", "404", "404", "404", "404"),
            row("GET /console/denied", "403", "403", "403", "403", "403"),
            row("POST /console/logout", "302 /console/login?signed-out", "302 /console/login?signed-out",
                    "302 /console/login?signed-out", "302 /console/login?signed-out", "302 /console/login?signed-out"),
            row("GET /console/assets/console.css", "200", "200", "200", "200", "200"),
            row("GET /console/no-such-page", SIGN_IN, "404", "404", "404", "404"),
            row("GET /actuator/health", "200", "200", "200", "200", "200"),
            row("GET /actuator/info", SIGN_IN, "403", "403", "403", "404"));

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private final Map<Who, ConsoleAccounts.Account> signingIn = new EnumMap<>(Who.class);
    private ConsoleAccounts.Account target;
    private CaseId kase;
    private ConversationId conversation;
    private ConversationId lone;
    private MessageId attachment;
    private CampaignId campaign;

    @Autowired
    CampaignManagement campaigns;

    @BeforeAll
    void createAccounts() {
        for (var role : Role.values()) {
            signingIn.put(Who.valueOf(role.name()), accounts.create(role));
        }
        target = accounts.create(Role.OPERATOR);
        var contact = conversations.findOrCreateContact("telegram", "routes-" + UUID.randomUUID(), "ko");
        conversation = conversations.openOrResumeConversation(contact, "ko", null);
        attachment = conversations.recordInbound(conversation, "", null);
        conversations.attach(attachment, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        kase = cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation, Map.of("group_size", "2"), "test").id();
        var other = conversations.findOrCreateContact("telegram", "routes-" + UUID.randomUUID(), "ru");
        lone = conversations.openOrResumeConversation(other, "ru", null);
        campaign = campaigns.create(new NewCampaign("Routes " + UUID.randomUUID(), "ko", null, null, null, null)).id();
    }

    private String ids(String text) {
        return text.replace("{target}", target.id().toString()).replace("{case}", kase.value().toString())
                .replace("{conversation}", conversation.value().toString()).replace("{lone}", lone.value().toString())
                .replace("{attachment}", attachment.value().toString())
                .replace("{campaign}", campaign.value().toString()).replace("{n}", "0");
    }

    /**
     * Every row for everyone; a GET row again as HEAD, which the GET's handler answers without the body: it must be
     * answered as the GET is, or a rule for GET alone is passed by asking HEAD.
     */
    static Stream<Arguments> cells() {
        return TABLE.stream().flatMap(row -> Stream.concat(Stream.of(row.route()),
                        row.route().startsWith("GET ") ? Stream.of("HEAD" + row.route().substring(3)) : Stream.empty())
                .flatMap(route -> Arrays.stream(Who.values())
                        .map(who -> Arguments.of(route, who, row.expected().get(who)))));
    }

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @MethodSource("cells")
    void answersAsTheTableSays(String route, Who who, String expected) throws Exception {
        var session = who == Who.ANONYMOUS ? new MockHttpSession() : accounts.signIn(signingIn.get(who));
        var method = HttpMethod.valueOf(route.substring(0, route.indexOf(' ')));
        var uri = ids(route.substring(route.indexOf(' ') + 1));
        var path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        var request = request(method, path).session(session).with(csrf());
        if (uri.contains("?")) {
            for (var pair : uri.substring(uri.indexOf('?') + 1).split("&")) {
                request.param(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }

        var response = mvc.perform(request).andReturn().getResponse();

        var location = response.getRedirectedUrl() == null ? ""
                : " " + response.getRedirectedUrl().replaceFirst("^https?://[^/]+", "");
        assertThat(response.getStatus() + location).isEqualTo(ids(expected));
    }

    @Test
    void everyConsoleRouteIsInTheTable() {
        var inTable = new TreeSet<String>();
        TABLE.forEach(row -> inTable.add(row.route().replaceAll("\\?.*", "").replaceAll("\\{[a-z]+}", "{}")));
        Set<String> mapped = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> info.getPatternValues().stream()
                .filter(pattern -> pattern.startsWith("/console"))
                .forEach(pattern -> {
                    var methods = info.getMethodsCondition().getMethods();
                    // a mapping for every method (the denied page) is in the table with the one it is reached by
                    (methods.isEmpty() ? Set.of(org.springframework.web.bind.annotation.RequestMethod.GET) : methods)
                            .forEach(m -> mapped.add(m.name() + " " + pattern.replaceAll("\\{[a-z]+}", "{}")));
                }));

        assertThat(inTable).containsAll(mapped);
    }

    record Row(String route, Map<Who, String> expected) {
    }

    private static Row row(String route, String... answers) {
        var expected = new EnumMap<Who, String>(Who.class);
        for (var who : Who.values()) {
            expected.put(who, answers[who.ordinal()]);
        }
        return new Row(route, expected);
    }
}
