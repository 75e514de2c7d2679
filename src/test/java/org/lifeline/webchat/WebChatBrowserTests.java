package org.lifeline.webchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.channels.ChannelGateway;
import org.lifeline.channels.OutboundContent;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.testing.browser.Axe;
import org.lifeline.testing.browser.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The web chat in real headless Chromium, as a soldier uses it: with JavaScript off (Tor Browser "Safest") and on,
 * from the first page to a surrender case in the database; resumed in another browser; an operator's reply.
 */
@WebChatTest
@Tag("browser")
class WebChatBrowserTests {

    private static final Pattern REFERENCE = Pattern.compile("[2-9A-Z]{3}-[2-9A-Z]{3,4}");

    private static Browser browser;

    @LocalServerPort
    int port;

    @Autowired
    CaseManagement cases;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    ChannelGateway gateway;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    WebChat chat;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        browser.close();
    }

    @BeforeEach
    void freshVisitor() {
        browser.javascript(true);
        forgetCookies();
        browser.consoleMessages();
    }

    @Test
    void takesAKoreanSoldierFromTheFirstPageToASurrenderCaseWithJavaScriptOff() {
        browser.javascript(false);
        var driver = browser.driver();
        driver.get("data:text/html,<title>off</title><script>document.title='on'</script>");
        assertThat(driver.getTitle()).as("scripts are really off").isEqualTo("off");

        surrenderIntake(browser, false);
    }

    @Test
    void takesAKoreanSoldierFromTheFirstPageToASurrenderCaseWithJavaScriptOn() {
        surrenderIntake(browser, true);
        assertThat(browser.consoleMessages()).as("no Content-Security-Policy violation").isEmpty();

        // every message went with the work its form asked for; the next one's is found while he reads
        var form = browser.driver().findElement(By.id("latest"));
        var token = form.findElement(By.name("form")).getAttribute("value");
        var bits = Integer.parseInt(form.getAttribute("data-bits"));
        await().atMost(Browser.PATIENCE).until(() -> !form.findElement(By.name("work")).getAttribute("value").isEmpty());
        assertThat(Challenges.worked(token, form.findElement(By.name("work")).getAttribute("value"), bits))
                .as("the work the script found").isTrue();
    }

    @Test
    void resumesByCodenameInAFreshBrowserProfile() {
        browser.javascript(false);
        var codename = startChat(browser, "ko", false);
        press(browser, 0);
        var firstTranscript = transcript(browser.driver());

        try (var other = Browser.start()) {
            other.javascript(false);
            var driver = other.driver();
            driver.get(url("/ko/chat"));
            driver.findElement(By.id("typed")).sendKeys(codename);
            var terms = driver.findElement(By.cssSelector("label[for=resume-answer]")).getText()
                    .replaceAll("[^0-9+]", "").split("\\+");
            driver.findElement(By.id("resume-answer"))
                    .sendKeys(Integer.toString(Integer.parseInt(terms[0]) + Integer.parseInt(terms[1])));
            driver.findElement(By.cssSelector("#resume button")).click();
            await().atMost(Browser.PATIENCE).ignoreExceptions().until(() -> transcript(driver).containsAll(firstTranscript));
            assertThat(driver.findElement(By.cssSelector("form.options"))).as("the question he was at").isNotNull();
        }
    }

    @Test
    void showsAnOperatorsReplyLiveWithJavaScriptOn() {
        startChat(browser, "ko", true);
        // a start stores nothing: his first answer starts the conversation an operator can write to
        press(browser, 0);
        var driver = browser.driver();
        assertThat(driver.findElements(By.cssSelector("meta[http-equiv=refresh]"))).isEmpty();
        driver.executeScript("window.lifelineMarker = 'the same page';");

        reply("지금 담당자가 련락합니다.");

        await().atMost(Browser.PATIENCE).ignoreExceptions().until(() -> transcript(driver).getLast().contains("지금 담당자가 련락합니다."));
        assertThat(driver.executeScript("return window.lifelineMarker;")).as("not reloaded").isEqualTo("the same page");
    }

    @Test
    void showsAnOperatorsReplyAfterCheckingWithJavaScriptOff() {
        browser.javascript(false);
        startChat(browser, "ru", false);
        press(browser, 0);
        var driver = browser.driver();
        var conversation = WebChatTestSupport.conversationOf(chat, conversations, sessionToken(driver));
        var sent = transaction.execute(status -> gateway.send(conversation, new OutboundContent.Text("Оператор на связи.")));
        await().atMost(Browser.PATIENCE).until(() -> conversations.transcript(conversation).stream()
                .anyMatch(m -> m.id().equals(sent) && m.delivery() != org.lifeline.conversations.DeliveryState.PENDING));
        assertThat(transcript(driver)).noneMatch(line -> line.contains("Оператор на связи."));

        driver.findElement(By.xpath("//button[normalize-space()='Проверить новые сообщения']")).click();

        await().atMost(Browser.PATIENCE).ignoreExceptions().until(() -> transcript(driver).getLast().contains("Оператор на связи."));
        assertThat(driver.getCurrentUrl()).as("by checking, not by an automatic reload").endsWith("/ru/chat?");
    }

    @Test
    void hasNoSeriousOrCriticalAccessibilityViolationsInKoreanAndRussianAndRendersTheirScripts() {
        for (var language : List.of("ko", "ru")) {
            forgetCookies();
            browser.driver().get(url("/" + language + "/chat"));
            assertThat(Axe.failing(browser.driver())).as("%s start page", language).isEmpty();
            browser.screenshot("webchat-" + language + "-start");
            startChat(browser, language, true);
            press(browser, 0);
            assertThat(Axe.failing(browser.driver())).as("%s chat page", language).isEmpty();
            browser.screenshot("webchat-" + language + "-chat");
            var text = browser.driver().findElement(By.tagName("main")).getText();
            assertThat(text).containsPattern(language.equals("ko") ? "\\p{IsHangul}" : "\\p{IsCyrillic}");
        }
    }

    @Test
    void screenshotsTheSurrenderFlowInKoreanAndRussian() {
        for (var language : List.of("ko", "ru")) {
            forgetCookies();
            startChat(browser, language, true);
            var driver = browser.driver();
            press(browser, 0);
            browser.screenshot("webchat-" + language + "-surrender-safety");
            press(browser, 0);
            press(browser, 1);
            type(browser, "/back");
            assertThat(transcript(driver).getLast()).as("back at the group question")
                    .contains(language.equals("ko") ? "혼자입니까" : "Вы один или с кем-то");
            press(browser, 1);
            type(browser, "3");
            press(browser, 0);
            press(browser, 0);
            browser.screenshot("webchat-" + language + "-surrender-location");
            type(browser, "47.5512, 35.1130");
            press(browser, 0);
            press(browser, 1);
            type(browser, language.equals("ko") ? "Signal: @cheolsu" : "Signal: @ivan");
            var said = String.join("\n", transcript(driver));
            assertThat(said).as("the other way of contact, not 'here'")
                    .contains(language.equals("ko") ? "당신이 알려준 방법으로" : "так, как вы указали");
            browser.screenshot("webchat-" + language + "-surrender-done");
        }
    }

    /** The whole intake: menu, wish, group, size, status, location typed, when, contact; then the reference. */
    private void surrenderIntake(Browser browser, boolean javascript) {
        startChat(browser, "ko", javascript);
        var driver = browser.driver();
        assertThat(transcript(driver).getLast()).contains("무엇이 필요합니까");
        press(browser, 0);
        assertThat(String.join("\n", transcript(driver))).contains("VPN");
        press(browser, 0);
        press(browser, 1);
        type(browser, "3");
        press(browser, 0);
        press(browser, 0);
        assertThat(driver.findElement(By.cssSelector("#live .note")).getText()).contains("36T WN 46187 74674", "SK-42");
        type(browser, "43.1234, 33.5678");
        assertThat(transcript(driver).get(transcript(driver).size() - 2)).as("the pasted example is refused")
                .contains("바다 한가운데");
        type(browser, "47.5512, 35.1130");
        press(browser, 0);
        press(browser, 0);

        var said = String.join("\n", transcript(driver));
        var reference = REFERENCE.matcher(said);
        assertThat(reference.find()).as("a case reference in: %s", said).isTrue();
        browser.screenshot("webchat-ko-intake-" + (javascript ? "javascript" : "no-javascript"));
        var opened = cases.findByReference(reference.group()).orElseThrow();
        assertThat(opened.kind()).isEqualTo(CaseKind.SURRENDER_REQUEST);
        assertThat(opened.details()).containsEntry("group_size", "3").containsEntry("location.kind", "decimal")
                .containsKey("location.mgrs");
    }

    /** Opens the chat's start page, starts (typing the sum only without JavaScript) and returns the codename. */
    private String startChat(Browser browser, String language, boolean javascript) {
        var driver = browser.driver();
        driver.get(url("/" + language + "/chat"));
        var codename = driver.findElement(By.id("codename")).getText();
        var question = driver.findElement(By.id("question"));
        assertThat(question.isDisplayed()).as("the sum is asked only without JavaScript").isEqualTo(!javascript);
        if (!javascript) {
            var terms = driver.findElement(By.cssSelector("label[for=answer]")).getText().replaceAll("[^0-9+]", "").split("\\+");
            driver.findElement(By.id("answer")).sendKeys(Integer.toString(Integer.parseInt(terms[0]) + Integer.parseInt(terms[1])));
        }
        driver.findElement(By.cssSelector("#start button")).click();
        await().atMost(Browser.PATIENCE).ignoreExceptions().until(() -> !transcript(driver).isEmpty() && settled(driver));
        return codename;
    }

    private void press(Browser browser, int choice) {
        act(browser, () -> browser.driver().findElements(By.cssSelector("form.options button")).get(choice).click());
    }

    private void type(Browser browser, String text) {
        act(browser, () -> {
            browser.driver().findElement(By.id("text")).sendKeys(text);
            browser.driver().findElement(By.cssSelector("#latest button")).click();
        });
    }

    /** Does something on the page, then waits for his line and the whole answer. */
    private void act(Browser browser, Runnable action) {
        var driver = browser.driver();
        var before = transcript(driver).size();
        action.run();
        await().atMost(Browser.PATIENCE).ignoreExceptions().until(() -> transcript(driver).size() > before + 1 && settled(driver));
    }

    private static boolean settled(ChromeDriver driver) {
        return driver.findElements(By.cssSelector("#live [role=status]")).isEmpty();
    }

    private static List<String> transcript(ChromeDriver driver) {
        return driver.findElements(By.cssSelector(".transcript li")).stream().map(WebElement::getText).toList();
    }

    private void reply(String text) {
        var conversation = WebChatTestSupport.conversationOf(chat, conversations, sessionToken(browser.driver()));
        transaction.executeWithoutResult(status -> gateway.send(conversation, new OutboundContent.Text(text)));
    }

    /** All of them: WebDriver's own deletion reaches only the cookies the current page can see. */
    private static void forgetCookies() {
        browser.driver().executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
    }

    private static String sessionToken(ChromeDriver driver) {
        return driver.manage().getCookieNamed(WebChatTestSupport.COOKIE).getValue();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
