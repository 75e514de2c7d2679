package org.lifeline.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.ConversationView;
import org.lifeline.conversations.Direction;
import org.lifeline.conversations.MessageContent;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.Role;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.telegram.PrivateChatUpdates;
import org.lifeline.testing.ConsoleTest;
import org.lifeline.testing.ManualClock;
import org.lifeline.testing.browser.Axe;
import org.lifeline.testing.browser.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An operator's shift in headless Chromium: a Korean soldier writes to the Telegram bot (through the fake Bot API's
 * webhook) and shows up in the open queue without a reload; the operator, who reads no Korean, answers him with a
 * canned reply that reaches Telegram in Korean, verifies the case, and the coordinator finds it among the handovers.
 */
@ConsoleTest
@Tag("browser")
@Tag("integration")
class ConsoleQueueBrowserTests {

    static final String BOT = "lifeline_console_bot";
    static final String TOKEN = "7000000003:AAconsoletokenconsoletokenconsole";
    static final String SECRET = "console-webhook-secret_0123456789";
    @RegisterExtension
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.startQuick(TOKEN);
    static final long CHAT = 800_000_000L + (System.nanoTime() % 100_000_000L);
    static final String PASSWORD = "a long enough password";

    @DynamicPropertySource
    static void telegramProperties(DynamicPropertyRegistry registry) {
        telegram.register(registry, BOT, SECRET);
    }

    @LocalServerPort
    int port;

    @Autowired
    OperatorAdministration administration;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    @Autowired
    AccessRecord access;

    @Autowired
    ManualClock clock;

    @Test
    void aNewTelegramConversationIsAnsweredInKoreanAndVerifiedForTheCoordinator() throws Exception {
        var operator = administration.createEnrolled(name("operator"), Role.OPERATOR, PASSWORD);
        var coordinator = administration.createEnrolled(name("coordinator"), Role.COORDINATOR, PASSWORD);
        try (var browser = Browser.start(); var second = Browser.start()) {
            var driver = browser.driver();
            signIn(driver, operator.operator().username(), operator.enrolment().secret());
            driver.executeScript("window.notReloaded = true");

            var conversation = writesIn(CHAT, "철수");
            var contact = conversation.contact();
            waitForLink(driver, "/console/conversations/" + conversation.id().value());
            assertThat(driver.executeScript("return window.notReloaded === true")).as("updated without reload")
                    .isEqualTo(true);

            var opened = cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation.id(), details(), "flow");
            waitForLink(driver, "/console/cases/" + opened.id().value());
            assertThat(driver.executeScript("return window.notReloaded === true")).isEqualTo(true);
            browser.screenshot("console-uk-queue-live");
            assertThat(Axe.failing(driver)).as("accessibility of the queue").isEmpty();

            // a live update may have swapped the list in since: find the link afresh until the click lands
            await().atMost(Browser.PATIENCE).ignoreExceptions().until(() -> {
                waitForLink(driver, "/console/cases/" + opened.id().value()).click();
                return true;
            });
            waitFor(driver, "Справа " + opened.reference());
            assertThat(driver.findElement(By.cssSelector(".language")).getText()).isEqualTo("ko");
            assertThat(driver.findElement(By.tagName("main")).getText()).contains("37UDQ0650017950", "48.01590");
            browser.screenshot("console-uk-case");
            assertThat(Axe.failing(driver)).as("accessibility of the case page").isEmpty();

            var sentBefore = telegram.delivered().size();
            new Select(driver.findElement(By.id("canned"))).selectByValue("verified");
            Browser.clickAndLoad(driver, driver.findElement(By.cssSelector("button[value=canned]")));
            assertThat(new WebDriverWait(driver, Browser.PATIENCE).until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector(".notice"))).getText()).contains("поставлено в чергу");
            // the outbox keeps each chat's pace by the application's clock, which here moves only when told
            await().atMost(Browser.PATIENCE).until(() -> {
                clock.advance(Duration.ofSeconds(1));
                return telegram.delivered().stream().skip(sentBefore)
                        .anyMatch(c -> c.body().path("text").asString().contains("신청을 확인하고 접수하였습니다"));
            });

            changeStatus(driver, "IN_CONTACT", "Talked to him on Telegram");
            changeStatus(driver, "VERIFIED", "Unit and location check out");
            assertThat(cases.find(opened.id()).orElseThrow().status()).isEqualTo(CaseStatus.VERIFIED);
            assertThat(access.latest(50)).anyMatch(e -> e.action().equals("case.read")
                            && e.subject().equals(opened.id().value().toString()))
                    .anyMatch(e -> e.action().equals("case.status")
                            && e.subject().equals(opened.id().value().toString()));

            var other = second.driver();
            signIn(other, coordinator.operator().username(), coordinator.enrolment().secret());
            Browser.clickAndLoad(other, other.findElement(By.linkText("Передачі")));
            waitFor(other, "Передачі");
            assertThat(other.findElement(By.tagName("main")).getText()).contains(opened.reference(), "37UDQ0650017950");
            second.screenshot("console-uk-handovers");
            assertThat(Axe.failing(other)).as("accessibility of the handovers").isEmpty();
        }
    }

    /**
     * Installed before a page's own scripts: an {@code EventSource} made by the page keeps its listeners and connects
     * only when {@code window.openHeldStreams()} is called.
     */
    static final String HELD_STREAMS = """
            (function () {
                var Real = window.EventSource, held = [];
                window.EventSource = function (url) {
                    var listeners = [];
                    held.push(function () {
                        var real = new Real(url);
                        listeners.forEach(function (l) { real.addEventListener(l[0], l[1]); });
                    });
                    return {addEventListener: function (type, listener) { listeners.push([type, listener]); }};
                };
                window.openHeldStreams = function () {
                    held.splice(0).forEach(function (open) { open(); });
                };
            }());""";

    /**
     * A change made while the page's event stream is down (before it first opens, or while it reconnects) is told to
     * nobody; the page fetches itself again when the stream opens, so the new conversation still shows, without a
     * reload. The page's stream is held back (its EventSource made only when the test says so) while the change is
     * made.
     */
    @Test
    void aConversationOpenedWhileTheLiveStreamWasDownShowsOnceItOpens() throws Exception {
        try (var browser = operatorSignedInWith(HELD_STREAMS)) {
            var driver = browser.driver();

            var conversation = writesIn(CHAT + 1, "영희");
            // nothing more changes the queue once the stream is let through
            awaitAnswered(conversation);
            showsOnceLetThrough(driver, conversation, "window.openHeldStreams()");
        }
    }

    /**
     * Installed before a page's own scripts: the page's first {@code fetch} goes to the server at once, but its
     * response reaches the page only when {@code window.releaseFetch()} is called ({@code window.heldArrived} says it
     * has come back from the server meanwhile); the queue events its event streams receive are counted
     * ({@code window.queueEvents}).
     */
    static final String HELD_FETCH = """
            (function () {
                var realFetch = window.fetch, RealSource = window.EventSource, held = false;
                window.heldArrived = false;
                window.queueEvents = 0;
                window.fetch = function (url, options) {
                    if (held) {
                        return realFetch(url, options);
                    }
                    held = true;
                    return realFetch(url, options).then(function (response) {
                        return response.text().then(function (body) {
                            window.heldArrived = true;
                            return new Promise(function (resolve) {
                                window.releaseFetch = function () {
                                    resolve(new Response(body, {status: response.status, headers: response.headers}));
                                };
                            });
                        });
                    });
                };
                window.EventSource = function (url) {
                    var source = new RealSource(url);
                    source.addEventListener('queue', function () { window.queueEvents++; });
                    return source;
                };
            }());""";

    /**
     * A change told to the page while its refresh is on its way (the list in that refresh rendered before the
     * change) is fetched once that refresh is back: the page fetches itself once more, without a reload. The page's
     * first refresh (the one its stream's opening asks for) is held back after the server answered it, while the
     * change is made and told to the page.
     */
    @Test
    void aChangeToldWhileARefreshIsOnItsWayIsFetchedOnceItIsBack() throws Exception {
        try (var browser = operatorSignedInWith(HELD_FETCH)) {
            var driver = browser.driver();
            await().atMost(Browser.PATIENCE).until(() -> Boolean.TRUE.equals(
                    driver.executeScript("return window.heldArrived === true")));

            var conversation = writesIn(CHAT + 2, "민수");
            // nothing more changes the queue once the refresh is let through
            awaitAnswered(conversation);
            await().atMost(Browser.PATIENCE).until(() -> ((Number) driver.executeScript(
                    "return window.queueEvents")).longValue() > 0);
            showsOnceLetThrough(driver, conversation, "window.releaseFetch()");
        }
    }

    /** A new operator signed in, in a browser that runs {@code script} before each page's own scripts. */
    private Browser operatorSignedInWith(String script) {
        var operator = administration.createEnrolled(name("operator"), Role.OPERATOR, PASSWORD);
        var browser = Browser.start();
        try {
            var driver = browser.driver();
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
            signIn(driver, operator.operator().username(), operator.enrolment().secret());
            driver.executeScript("window.notReloaded = true");
            return browser;
        } catch (RuntimeException e) {
            browser.close();
            throw e;
        }
    }

    /**
     * The conversation not in the page's list until {@code letThrough} runs in the page, then in it, without a
     * reload.
     */
    private static void showsOnceLetThrough(org.openqa.selenium.chrome.ChromeDriver driver, ConversationView conversation, String letThrough) {
        var path = "/console/conversations/" + conversation.id().value();
        assertThat(driver.findElements(By.cssSelector("#queue a[href$='" + path + "']")))
                .as("the page rendered before the conversation").isEmpty();
        driver.executeScript(letThrough);
        waitForLink(driver, path);
        assertThat(driver.executeScript("return window.notReloaded === true")).as("updated without reload")
                .isEqualTo(true);
    }

    /** His message processed and answered. */
    private void awaitAnswered(ConversationView conversation) {
        await().atMost(Browser.PATIENCE).until(() -> conversations.transcript(conversation.id()),
                transcript -> transcript.stream().anyMatch(m -> m.direction() == Direction.INBOUND
                        && m.content() instanceof MessageContent.Text)
                        && transcript.getLast().direction() == Direction.OUTBOUND);
    }

    /** He starts on Telegram, in Korean, and writes something (a start alone is not in the queue): his conversation. */
    private ConversationView writesIn(long chat, String firstName) throws Exception {
        var updates = new PrivateChatUpdates(chat, firstName, "ko");
        webhook(updates.text("/start").toString());
        webhook(updates.text("도와주세요").toString());
        var contact = conversations.findOrCreateContact("telegram", Long.toString(chat), null);
        return await().atMost(Browser.PATIENCE).until(() -> conversations.active().stream()
                .filter(c -> contact.equals(c.contact())).findFirst(), found -> found.isPresent()).orElseThrow();
    }

    private static Map<String, String> details() {
        return Map.of("group_size", "3", "when", "now", "location", "48.01590, 37.80290 (37UDQ0650017950)",
                "location.kind", "shared", "location.lat", "48.01590", "location.lon", "37.80290",
                "location.mgrs", "37UDQ0650017950");
    }

    private void changeStatus(WebDriver driver, String to, String reason) {
        new Select(driver.findElement(By.id("to"))).selectByValue(to);
        driver.findElement(By.id("reason")).sendKeys(reason);
        Browser.clickAndLoad(driver, driver.findElement(By.cssSelector("form[action$='/status'] button[type=submit]")));
        new WebDriverWait(driver, Browser.PATIENCE).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("dl.facts"), to));
    }

    private void signIn(WebDriver driver, String username, String secret) {
        driver.get(url("/console/login"));
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(PASSWORD);
        Browser.clickAndLoad(driver, driver.findElement(By.cssSelector("main button[type=submit]")));
        new WebDriverWait(driver, Browser.PATIENCE).until(ExpectedConditions.urlMatches(".*/console/login/code$"));
        driver.findElement(By.id("code")).sendKeys(nextCode(secret));
        Browser.clickAndLoad(driver, driver.findElement(By.cssSelector("main button[type=submit]")));
        // new accounts read the console in Ukrainian
        waitFor(driver, "Черга");
    }

    private static org.openqa.selenium.WebElement waitForLink(WebDriver driver, String path) {
        return new WebDriverWait(driver, Browser.PATIENCE).until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#queue a[href$='" + path + "']")));
    }

    private static void waitFor(WebDriver driver, String heading) {
        new WebDriverWait(driver, Browser.PATIENCE).until(ExpectedConditions.textToBe(By.tagName("h1"), heading));
    }

    private void webhook(String update) throws Exception {
        var response = HttpClient.newHttpClient().send(FakeTelegramBotApi.webhookDelivery(port, BOT, SECRET, update),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    /** The next time step's code: the server runs on the same test clock. */
    private String nextCode(String secret) {
        clock.advance(Duration.ofSeconds(30));
        try {
            return new DefaultCodeGenerator().generate(secret, Math.floorDiv(clock.millis(), 30_000L));
        } catch (CodeGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
