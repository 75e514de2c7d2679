package org.lifeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.telegram.PrivateChatUpdates;
import org.lifeline.telephony.FakeTwilio;
import org.lifeline.whatsapp.FakeGraphApi;
import org.lifeline.whatsapp.WhatsAppDeliveries;
import tools.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.lifeline.campaigns.CampaignManagement;
import org.lifeline.campaigns.NewCampaign;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.Role;
import org.lifeline.platform.DataDirectory;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The log-and-disk scan: every public and console endpoint is driven with well-formed and malformed requests
 * (missing and unknown fields, wrong types, oversized values, unknown paths, broken encodings) carrying distinctive
 * personal data in every field, path, cookie and header. Then the whole log output, and every file in the data
 * directory read as UTF-8, UTF-16 and cp1251, must hold none of it.
 */
@PersistenceTest
@Tag("integration")
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.datasource.hikari.maximum-pool-size=5",
                // the route drive fails passwords by the hundred: the node's budget would answer "busy" before them
                "lifeline.operators.password-failures-per-minute=1000000"})
class PersonalDataInLogsIntegrationTests {

    static final String BOT = "lifeline_scan_bot";
    static final String TOKEN = "7000000002:AAscantokenscantokenscantoken";
    static final String SECRET = "scan-webhook-secret_0123456789";
    @RegisterExtension
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.startQuick(TOKEN);
    @RegisterExtension
    static final FakeGraphApi graph = FakeGraphApi.start();
    @RegisterExtension
    static final FakeTwilio twilio = FakeTwilio.start();
    static final String LINE = "+15005550901";

    /** A soldier's name, a relative's e-mail, a phone number, a Korean name: what must never leak. */
    static final List<String> PERSONAL = List.of("Жмышенко Валерий Альбертович", "valery.zhmyshenko@example.org",
            "+7 916 123-45-67", "리철민 조선인민군");

    @DynamicPropertySource
    static void telegramProperties(DynamicPropertyRegistry registry) {
        telegram.register(registry, BOT, SECRET);
        graph.register(registry);
        twilio.register(registry, Map.of(LINE, "ru"));
    }


    @LocalServerPort
    int port;

    @Autowired
    DataDirectory dataDirectory;

    @Autowired
    OperatorAdministration administration;

    @Autowired
    JdbcClient jdbc;
    @Autowired
    org.springframework.core.env.Environment environment;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    ReachedHandlers reached;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    @Autowired
    CampaignManagement campaigns;

    private HttpClient http = newClient();

    private static HttpClient newClient() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).cookieHandler(new CookieManager())
                .build();
    }

    /** The CSRF token of a console page's forms, or none. */
    private String csrf(String path) {
        var input = Jsoup.parse(send(get(path)).body()).selectFirst("input[name=_csrf]");
        return input == null ? "" : input.attr("value");
    }

    @Test
    void noPersonalDataFromAnyRequestReachesTheLogOrTheDisk(CapturedOutput output) throws Exception {
        for (var data : PERSONAL) {
            site(data);
            chat(data);
            telegram(data);
            whatsapp(data);
            telephony(data);
            console(data);
            rawRequests(data);
            everyRoute(data);
        }
        if (!DatabaseAvailability.onPostgres()) {
            // a failing statement with a value: H2 would write it to its trace file
            try {
                jdbc.sql("insert into access_log (occurred_at, action, outcome) values (current_timestamp, :a, null)")
                        .param("a", PERSONAL.getFirst()).update();
            } catch (RuntimeException expected) {
                // refused, as it should be
            }
            jdbc.sql("checkpoint sync").update();
        }
        // on H2 an update may still wait in the intake journal: processed means gone from there too
        await().atMost(Duration.ofSeconds(20)).until(() ->
                new org.lifeline.testing.StoredUpdates(jdbc, environment).count("state = 'PENDING'") == 0);

        assertThat(unanswered).as("requests answered in time").isEmpty();
        var handlers = new LinkedHashSet<String>();
        mappings.getHandlerMethods().values().forEach(handler -> handlers.add(handler.getMethod().toGenericString()));
        assertThat(reached.handlers).as("handlers reached by some request carrying the data").containsAll(handlers);

        var logged = output.getAll();
        assertThat(logged).as("something was logged at all").isNotEmpty();
        for (var data : PERSONAL) {
            for (var form : textForms(data)) {
                assertThat(logged).as("the log output").doesNotContain(form);
            }
        }
        var files = files();
        assertThat(files).as("files in the data directory").isNotEmpty();
        for (var file : files) {
            var bytes = Files.readAllBytes(file);
            for (var data : PERSONAL) {
                for (var encoded : byteForms(data)) {
                    assertThat(indexOf(bytes, encoded)).as("%s holds %s in some encoding", file, data).isNegative();
                }
            }
        }
    }

    private void site(String data) {
        var e = enc(data);
        for (var path : List.of("/ru/" + e, "/" + e, "/ru/?q=" + e, "/assets/" + e, "/.well-known/" + e,
                "/actuator/" + e, "/error?message=" + e, "/ru/c/" + e, "/webhooks/whatsapp?hub.verify_token=" + e,
                "/ru/chat/state?x=" + e, "/console", "/console/login")) {
            send(get(path).header("Cookie", "lifeline_chat=" + e + "; JSESSIONID=" + e + "; lifeline_console=" + e));
        }
    }

    private void chat(String data) {
        var e = enc(data);
        // no op, unknown op, missing form token, wrong types, oversized, unknown fields, JSON, broken escapes
        for (var body : List.of("text=" + e + "&codename=" + e, "op=" + e + "&text=" + e, "op=send&text=" + e,
                "op=choose&choice=" + e, "op=resume&codename=" + e + "&challenge=" + e + "&work=" + e + "&answer=" + e,
                "op=start&codename=" + e + "&challenge=" + e + "." + e + "&work=" + e + "&answer=" + e,
                "op=send&form=" + e + "&text=" + e.repeat(200), "op=leave&" + e + "=" + e,
                "op=send&form=AAAAAAAAAAAAAAAAAAAAAA&text=%E0%A4%A&name=" + e + "&x=%ZZ" + e,
                "op=refresh&auto=" + e)) {
            send(post("/ru/chat", body).header("Cookie", "lifeline_chat=" + e));
        }
        send(post("/ru/chat", "{\"text\":\"" + data + "\"}").header("Content-Type", "application/json"));
        send(post("/" + e + "/chat", "op=send&text=" + e));
        // a real chat that stores his words (encrypted) through the whole flow
        var start = Jsoup.parse(send(get("/en/chat")).body());
        var fields = new LinkedHashMap<String, String>();
        start.getElementById("start").select("input[type=hidden]").forEach(i -> fields.put(i.attr("name"), i.attr("value")));
        var terms = start.selectFirst("label[for=answer]").text().replaceAll("[^0-9+]", "").split("\\+");
        fields.put("answer", Integer.toString(Integer.parseInt(terms[0]) + Integer.parseInt(terms[terms.length - 1])));
        assertThat(send(post("/en/chat", form(fields))).statusCode()).isEqualTo(303);
        var page = Jsoup.parse(send(get("/en/chat")).body());
        var say = new LinkedHashMap<String, String>();
        page.getElementById("latest").select("input[type=hidden]").forEach(i -> say.put(i.attr("name"), i.attr("value")));
        say.put("text", data);
        send(post("/en/chat", form(say)));
        say.put("text", data.repeat(300));
        send(post("/en/chat", form(say)));
    }

    private void whatsapp(String data) {
        var waId = WhatsAppDeliveries.newWaId();
        var message = WhatsAppDeliveries.text(waId, data);
        ((ObjectNode) message.path("entry").path(0).path("changes").path(0).path("value").path("contacts").path(0)
                .path("profile")).put("name", data);
        var delivery = message.toString();
        send(whatsappWebhook(FakeGraphApi.APP_SECRET, delivery));
        send(whatsappWebhook("wrong-" + enc(data), delivery));
        send(whatsappWebhook(null, delivery));
        send(whatsappWebhook(FakeGraphApi.APP_SECRET, "{\"object\":\"whatsapp_business_account\",\"entry\":[\"" + data));
        send(whatsappWebhook(FakeGraphApi.APP_SECRET, "{\"object\":\"whatsapp_business_account\",\"x\":\""
                + data.repeat(40_000) + "\"}"));
        send(whatsappWebhook(FakeGraphApi.APP_SECRET, delivery.replace("\"text\"", "\"" + enc(data) + "\"")));
    }

    /** SMS and calls with the data as text, as the sender, as a key and in the URL; signed, unsigned, wrongly signed, malformed. */
    private void telephony(String data) {
        var e = enc(data);
        var sms = FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), "+79161234567", LINE, data);
        send(twilioWebhook("/webhooks/sms", sms, FakeTwilio.AUTH_TOKEN));
        send(twilioWebhook("/webhooks/sms", sms, "wrong-" + e));
        send(twilioWebhook("/webhooks/sms", sms, null));
        var fromData = new LinkedHashMap<>(FakeTwilio.incomingSms(FakeTwilio.newSid("SM"), data, LINE, data));
        send(twilioWebhook("/webhooks/sms", fromData, FakeTwilio.AUTH_TOKEN));
        send(twilioWebhook("/webhooks/sms?" + e + "=" + e, sms, FakeTwilio.AUTH_TOKEN));
        send(withPersonalHeaders(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/sms"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", e)
                .POST(HttpRequest.BodyPublishers.ofString("Body=%zz" + e + "&From=" + data.repeat(10_000)))));
        var callSid = FakeTwilio.newSid("CA");
        send(twilioWebhook("/webhooks/voice", FakeTwilio.call(callSid, data, LINE, Map.of()), FakeTwilio.AUTH_TOKEN));
        send(twilioWebhook("/webhooks/voice/choice?l=" + e, FakeTwilio.call(callSid, "+79161234567", LINE,
                Map.of("Digits", data)), FakeTwilio.AUTH_TOKEN));
        send(twilioWebhook("/webhooks/voice/" + e, FakeTwilio.call(callSid, "+79161234567", LINE, Map.of()),
                FakeTwilio.AUTH_TOKEN));
        send(twilioWebhook("/webhooks/voice/recorded?l=ru", FakeTwilio.call(callSid, "+79161234567", LINE,
                Map.of("RecordingSid", data, "RecordingUrl", e)), FakeTwilio.AUTH_TOKEN));
        send(twilioWebhook("/webhooks/voice/callback?l=ru", FakeTwilio.call(callSid, "+79161234567", LINE,
                Map.of("Digits", "1")), "wrong-" + e));
    }

    private HttpRequest.Builder twilioWebhook(String pathAndQuery, Map<String, String> parameters, String authToken) {
        var signed = FakeTwilio.webhook(port, pathAndQuery, parameters, authToken);
        var request = withPersonalHeaders(HttpRequest.newBuilder(signed.uri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(FakeTwilio.form(parameters))));
        signed.headers().firstValue("X-Twilio-Signature").ifPresent(v -> request.header("X-Twilio-Signature", v));
        return request;
    }

    private HttpRequest.Builder whatsappWebhook(String appSecret, String body) {
        var bytes = body.getBytes(UTF_8);
        var request = withPersonalHeaders(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/whatsapp"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        return appSecret == null ? request : request.header("X-Hub-Signature-256", FakeGraphApi.signature(appSecret, bytes));
    }

    private void telegram(String data) {
        var e = enc(data);
        var chat = 600_000_000L + (System.nanoTime() % 100_000_000L);
        var update = new PrivateChatUpdates(chat, data, "ru").text(data).toString();
        send(webhook(BOT, SECRET, update));
        send(webhook(BOT, SECRET, update.replaceFirst("\"update_id\":[0-9]+", "\"update_id\":\"" + data + "\"")));
        send(webhook(BOT, SECRET, "{\"update_id\": 1, \"message\": {\"text\": \"" + data + "\""));
        send(webhook(BOT, SECRET, update.replaceFirst("\"update_id\":[0-9]+", "\"update_id\":" + "7".repeat(201))));
        send(webhook(BOT, data.replaceAll("[^A-Za-z0-9]", "x") + "-wrong-secret", update));
        send(webhook(e, SECRET, update));
        send(webhook(BOT, SECRET, "{\"update_id\":" + PrivateChatUpdates.nextUpdateId() + ",\"x\":\""
                + data.repeat(40_000) + "\"}"));
    }

    private void console(String data) throws Exception {
        var e = enc(data);
        http = newClient();
        send(post("/console/login", "username=" + e + "&password=" + e));
        var csrf = csrf("/console/login");
        send(post("/console/login", "_csrf=" + csrf + "&username=" + e + "&password=" + e));
        send(post("/console/login", "_csrf=" + csrf + "&username=" + e));
        send(post("/console/setup", "_csrf=" + csrf + "&token=" + e + "&username=" + e + "&password=" + e
                + "&repeated=" + e));
        send(post("/console/login/code", "_csrf=" + csrf + "&code=" + e));

        var account = administration.createEnrolled("scan-" + UUID.randomUUID().toString().substring(0, 8),
                Role.OPERATOR, "a long enough password");
        csrf = csrf("/console/login");
        send(post("/console/login", form(Map.of("_csrf", csrf, "username", account.operator().username(),
                "password", "a long enough password"))));
        var code = new DefaultCodeGenerator().generate(account.enrolment().secret(), System.currentTimeMillis() / 30_000);
        csrf = csrf("/console/login/code");
        assertThat(send(post("/console/login/code", form(Map.of("_csrf", csrf, "code", code)))).statusCode())
                .as("signed in").isEqualTo(302);
        csrf = csrf("/console");
        var someCase = UUID.randomUUID();
        for (var path : List.of("/console/cases/" + e, "/console/conversations/" + e, "/console?status=" + e
                + "&kind=" + e + "&channel=" + e + "&language=" + e + "&assignee=" + e, "/console/" + e,
                "/console/cases/" + someCase + "?x=" + e, "/console/handovers?x=" + e)) {
            send(get(path));
        }
        for (var path : List.of("/console/cases/" + someCase + "/status", "/console/cases/" + e + "/status",
                "/console/cases/" + someCase + "/assignee", "/console/conversations/" + someCase + "/replies",
                "/console/cases/" + someCase + "/provocation", "/console/handovers/" + someCase + "/plan")) {
            send(post(path, "_csrf=" + csrf + "&version=" + e + "&status=" + e + "&reason=" + e + "&note=" + e
                    + "&assignee=" + e + "&text=" + e + "&canned=" + e + "&grid=" + e));
            send(post(path, "version=" + e + "&text=" + e));
        }
    }

    /**
     * Every route the application maps, found in its handler mapping (a new route is driven without a change here),
     * as nobody and as each role, each with the data in the path variables and in every parameter, cookie and header
     * the handler reads, with wrong types, oversized, with parameters missing and unknown; POSTs with a valid CSRF
     * token, so that the handler itself sees them.
     */
    private void everyRoute(String data) throws Exception {
        var ids = ids();
        // nobody with every value; the roles share the values out, so each role's handlers see one of them and each
        // value reaches a signed-in console (every role with every value took four times as long, for no route more)
        var who = new ArrayList<Role>();
        who.add(null);
        for (var role : Role.values()) {
            if (role.ordinal() % PERSONAL.size() == PERSONAL.indexOf(data)) {
                who.add(role);
            }
        }
        for (var role : who) {
            http = newClient();
            var csrf = role == null ? csrf("/console/login") : signIn(role);
            for (var route : mappings.getHandlerMethods().entrySet()) {
                var info = route.getKey();
                var handler = route.getValue();
                for (var pattern : info.getPatternValues()) {
                    if (role != null && !pattern.startsWith("/console")) {
                        continue; // a session changes nothing outside the console: the public routes go once
                    }
                    var methods = info.getMethodsCondition().getMethods().isEmpty()
                            ? Set.of(RequestMethod.GET, RequestMethod.POST) : info.getMethodsCondition().getMethods();
                    for (var method : methods) {
                        var variants = variants(method, pattern, info, handler, data, ids);
                        var produces = info.getProducesCondition().getProducibleMediaTypes();
                        var stream = produces.contains(MediaType.TEXT_EVENT_STREAM);
                        // what the route answers with is asked for: the error page has a mapping for HTML of its own
                        var accept = produces.isEmpty() ? "*/*" : produces.iterator().next().toString();
                        for (var v = 0; v < variants.size(); v++) {
                            if (!drive(method, variants.get(v), csrf, accept, stream) && !stream) {
                                unanswered.add(method + " " + pattern + " variant " + v + " as " + role);
                            }
                        }
                    }
                    if (role != null && pattern.startsWith("/console/login") && !signedIn()) {
                        csrf = signIn(role); // a sign-in step driven inside a session might end it
                    }
                }
            }
        }
    }

    /** Real ids for the routes' path variables, made once: handlers go past their lookups with them. */
    private Map<String, String> ids() {
        if (realIds == null) {
            var contact = conversations.findOrCreateContact("telegram", "scan-" + UUID.randomUUID(), "ru");
            var conversation = conversations.openOrResumeConversation(contact, "ru", null);
            var photo = conversations.recordInbound(conversation, "", null);
            conversations.attach(photo, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            var kase = cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation, Map.of("group_size", "2"), "test");
            var lone = conversations.openOrResumeConversation(
                    conversations.findOrCreateContact("telegram", "scan-" + UUID.randomUUID(), "ru"), "ru", null);
            var campaign = campaigns.create(new NewCampaign("Scan " + UUID.randomUUID(), "ru", null, null, null, null));
            var target = administration.createEnrolled("scan-target-" + UUID.randomUUID().toString().substring(0, 8),
                    Role.OPERATOR, "a long enough password");
            realIds = new LinkedHashMap<>();
            realIds.put("/console/conversations/{id}/erase", lone.value().toString());
            realIds.put("/console/cases/", kase.id().value().toString());
            realIds.put("/console/handovers/", kase.id().value().toString());
            realIds.put("/console/conversations/", conversation.value().toString());
            realIds.put("/console/attachments/", photo.value().toString());
            realIds.put("/console/campaigns/", campaign.id().value().toString());
            realIds.put("/console/users/", target.operator().id().toString());
        }
        return realIds;
    }

    private Map<String, String> realIds;

    /** Requests of the route drive that got no answer in time. */
    private final List<String> unanswered = new ArrayList<>();

    /** A session of a new account with this role, through both steps; its CSRF token. */
    private String signIn(Role role) throws Exception {
        http = newClient();
        var account = administration.createEnrolled("scan-" + UUID.randomUUID().toString().substring(0, 8), role,
                "a long enough password");
        send(post("/console/login", form(Map.of("_csrf", csrf("/console/login"), "username",
                account.operator().username(), "password", "a long enough password"))));
        var code = new DefaultCodeGenerator().generate(account.enrolment().secret(), System.currentTimeMillis() / 30_000);
        assertThat(send(post("/console/login/code", form(Map.of("_csrf", csrf("/console/login/code"), "code", code))))
                .statusCode()).as("signed in as %s", role).isEqualTo(302);
        assertThat(signedIn()).as("signed in as %s", role).isTrue();
        var home = send(get("/console"));
        var page = home.statusCode() == 302 ? home.headers().firstValue("Location").orElseThrow() : "/console";
        var token = csrf(page.replaceFirst("^https?://[^/]+", ""));
        assertThat(token).as("a CSRF token for %s", role).isNotEmpty();
        return token;
    }

    private boolean signedIn() {
        var home = send(get("/console"));
        return home.statusCode() == 200
                || home.statusCode() == 302 && !home.headers().firstValue("Location").orElse("").contains("/login");
    }

    /** A path and its parameters. */
    private record Variant(String path, List<Map.Entry<String, String>> parameters) {
    }

    private List<Variant> variants(RequestMethod method, String pattern, RequestMappingInfo info,
            HandlerMethod handler, String data, Map<String, String> ids) {
        var e = enc(data);
        var conditions = new ArrayList<Map.Entry<String, String>>();
        for (var expression : info.getParamsCondition().getExpressions()) {
            if (!expression.isNegated()) {
                conditions.add(Map.entry(expression.getName(),
                        expression.getValue() == null ? data : expression.getValue()));
            }
        }
        var withData = new ArrayList<>(conditions);
        var oversized = new ArrayList<>(conditions);
        var typed = new ArrayList<>(conditions);
        for (var parameter : handler.getMethodParameters()) {
            var annotation = parameter.getParameterAnnotation(RequestParam.class);
            if (annotation == null || Map.class.isAssignableFrom(parameter.getParameterType())) {
                continue;
            }
            var name = annotation.name().isEmpty() ? parameter.getParameterName() : annotation.name();
            if (conditions.stream().anyMatch(c -> c.getKey().equals(name))) {
                continue;
            }
            withData.add(Map.entry(name, data));
            // a URL holds a few kilobytes before Tomcat refuses the request; a form body far more
            oversized.add(Map.entry(name, data.repeat(method == RequestMethod.GET ? 20 : 500)));
            typed.add(Map.entry(name, plausible(parameter.getParameterType(), data)));
        }
        withData.add(Map.entry(data, data));
        withData.add(Map.entry("unknown", data));
        var real = pathWith(pattern, ids, null);
        return List.of(new Variant(pathWith(pattern, ids, e), withData), new Variant(real, withData),
                new Variant(real, conditions), new Variant(real, oversized), new Variant(real, typed));
    }

    /** The pattern's variables filled with {@code value}, or with a value that gets past their checks when null. */
    private static String pathWith(String pattern, Map<String, String> ids, String value) {
        var path = new StringBuilder();
        for (var i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) != '{') {
                path.append(pattern.charAt(i));
                continue;
            }
            // a variable, with a regular expression that may hold braces of its own: {lang:[a-z]{2,3}}
            var end = i;
            for (var depth = 0; ; end++) {
                depth += pattern.charAt(end) == '{' ? 1 : pattern.charAt(end) == '}' ? -1 : 0;
                if (depth == 0) {
                    break;
                }
            }
            var name = pattern.substring(i + 1, end).split(":")[0];
            path.append(value != null ? value : switch (name) {
                case "lang" -> "ru";
                case "username" -> BOT;
                case "n" -> "0";
                case "step" -> "choice";
                case "id" -> ids.entrySet().stream().filter(id -> pattern.startsWith(id.getKey())).findFirst()
                        .map(Map.Entry::getValue).orElse(UUID.randomUUID().toString());
                default -> "x";
            });
            i = end;
        }
        return path.toString();
    }

    /** A value of the right type, so that the handler's body runs: the data itself where any text goes. */
    private static String plausible(Class<?> type, String data) {
        if (type == boolean.class || type == Boolean.class) {
            return "false";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "0";
        }
        if (type.isEnum()) {
            return ((Enum<?>) type.getEnumConstants()[0]).name();
        }
        if (type == UUID.class) {
            return UUID.randomUUID().toString();
        }
        return data;
    }

    /**
     * One request: parameters in the query of a GET, in the body of a POST (with the session's CSRF token); the data
     * in extra cookies too. An event stream is closed as soon as it answers.
     */
    private boolean drive(RequestMethod method, Variant variant, String csrf, String accept, boolean stream)
            throws IOException {
        var e = enc(PERSONAL.get(current));
        var parameters = variant.parameters().stream().map(p -> enc(p.getKey()) + "=" + enc(p.getValue()))
                .collect(Collectors.joining("&"));
        var request = method == RequestMethod.GET
                ? get(variant.path() + (parameters.isEmpty() ? "" : "?" + parameters))
                : post(variant.path(), "_csrf=" + enc(csrf) + (parameters.isEmpty() ? "" : "&" + parameters));
        if (method != RequestMethod.GET && method != RequestMethod.POST) {
            request.method(method.name(), HttpRequest.BodyPublishers.ofString(parameters));
        }
        request.header("Cookie", "lifeline_chat=" + e + "; lifeline_device=" + e + "; " + e + "=" + e)
                .header("Accept", accept)
                // an event stream may say nothing until there is an event: it has been reached when it is still open
                .timeout(Duration.ofSeconds(stream ? 3 : 20));
        try {
            var response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (var body = response.body()) {
                if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                    body.readAllBytes();
                }
            }
            return true;
        } catch (HttpTimeoutException timedOut) {
            return false;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    /** Which handler methods requests reached (past the security filters, before their arguments are bound). */
    @TestConfiguration(proxyBeanMethods = false)
    static class ReachedHandlers implements WebMvcConfigurer {

        final Set<String> handlers = ConcurrentHashMap.newKeySet();

        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(new HandlerInterceptor() {
                @Override
                public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                    if (handler instanceof HandlerMethod method) {
                        handlers.add(method.getMethod().toGenericString());
                    }
                    return true;
                }
            });
        }
    }

    /** Requests Tomcat refuses before any application code: raw bytes in the path, bad escapes, bad headers. */
    private void rawRequests(String data) throws IOException {
        var raw = List.of(
                "GET /ru/" + data + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /ru/%" + enc(data) + "%G HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /ru/ HTTP/1.1\r\nHost: x\r\nX-Name: " + data + "\r\nCookie: a\"" + data + "\r\nConnection: close\r\n\r\n",
                "POST /ru/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded; charset=" + enc(data)
                        + "\r\nContent-Length: 9\r\nConnection: close\r\n\r\ntext=%C3(",
                "GET /ru/?" + data + "=" + data + " HTTP/1.1\r\nHost: " + data + "\r\nConnection: close\r\n\r\n");
        for (var request : raw) {
            try (var socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(request.getBytes(UTF_8));
                socket.getOutputStream().flush();
                socket.getInputStream().readAllBytes();
            }
        }
    }

    private HttpRequest.Builder get(String path) {
        return withPersonalHeaders(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
    }

    private HttpRequest.Builder post(String path, String body) {
        return withPersonalHeaders(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://127.0.0.1:" + port)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder webhook(String bot, String secret, String body) {
        return withPersonalHeaders(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/telegram/" + bot))
                .header("Content-Type", "application/json")
                .header("X-Telegram-Bot-Api-Secret-Token", secret)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The data in every header a client controls (HTTP headers are Latin-1: it goes URL-encoded there). */
    private HttpRequest.Builder withPersonalHeaders(HttpRequest.Builder request) {
        var e = enc(PERSONAL.get(current));
        current = (current + 1) % PERSONAL.size();
        return request.header("User-Agent", e).header("Referer", "http://127.0.0.1/" + e)
                .header("Accept-Language", e).header("X-Forwarded-For", e).header("Forwarded", "for=" + e)
                .header("X-Requested-With", e).timeout(Duration.ofSeconds(60));
    }

    private int current;

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<Path> files() throws IOException {
        try (var paths = Files.walk(dataDirectory.root())) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }

    private static String enc(String data) {
        return URLEncoder.encode(data, UTF_8);
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(f -> enc(f.getKey()) + "=" + enc(f.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** How the data could appear in a text log: as is, URL-encoded (either way of spaces), JSON-escaped, and a part. */
    private static Set<String> textForms(String data) {
        var forms = new LinkedHashSet<String>();
        forms.add(data);
        forms.add(enc(data));
        forms.add(enc(data).replace("+", "%20"));
        forms.add(enc(data).toLowerCase());
        var escaped = data.codePoints().mapToObj(c -> c < 128 ? Character.toString(c) : String.format("\\u%04x", c))
                .collect(Collectors.joining());
        forms.add(escaped);
        forms.add(escaped.toUpperCase().replace("\\U", "\\u"));
        if (isWord(data.split(" ")[0])) {
            forms.add(data.split(" ")[0]);
        }
        if (Charset.forName("windows-1251").newEncoder().canEncode(data)) {
            forms.add(URLEncoder.encode(data, Charset.forName("windows-1251")));
        }
        return forms;
    }

    /** How the data could sit in a file: UTF-8, UTF-16 either way round, cp1251, each whole and its first word. */
    private static List<byte[]> byteForms(String data) {
        var forms = new ArrayList<byte[]>();
        for (var text : isWord(data.split(" ")[0]) ? List.of(data, data.split(" ")[0]) : List.of(data)) {
            for (var charset : List.of(UTF_8, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE,
                    Charset.forName("windows-1251"))) {
                if (charset.newEncoder().canEncode(text)) {
                    forms.add(text.getBytes(charset));
                }
            }
        }
        return forms;
    }

    /** A first word distinctive enough to search for on its own (a name, not "+7"). */
    private static boolean isWord(String word) {
        return word.codePointCount(0, word.length()) >= 3 && word.codePoints().allMatch(Character::isLetter);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (var i = 0; i <= haystack.length - needle.length; i++) {
            for (var j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
