package org.lifeline.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.Role;
import org.lifeline.testing.ConsoleTest;
import org.lifeline.testing.ManualClock;
import org.lifeline.testing.browser.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Signing in to the console in the system's headless Chromium, as a person does: password, then the code from the
 * authenticator (computed here from the secret), with JavaScript on and off. Screenshots go to target/screenshots.
 */
@ConsoleTest
@Tag("browser")
@Tag("integration")
class ConsoleLoginBrowserTests {

    private static final String PASSWORD = "a long enough password";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @LocalServerPort
    int port;

    @Autowired
    OperatorAdministration administration;

    @Autowired
    ManualClock clock;

    private final List<WebDriver> drivers = new ArrayList<>();

    @AfterEach
    void quit() {
        drivers.forEach(WebDriver::quit);
    }

    @Test
    void signsInWithPasswordAndTotp() throws IOException {
        var account = administration.createEnrolled(name("operator"), Role.OPERATOR, PASSWORD);
        var browser = chromium(true);

        browser.get(url("/console"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/login");
        screenshot(browser, "console-sign-in");
        submitPassword(browser, account.operator().username());
        waitForPath(browser, "/console/login/code");
        browser.findElement(By.id("code")).sendKeys(nextCode(account.enrolment().secret()));
        Browser.clickAndLoad(browser, browser.findElement(By.cssSelector("main button[type=submit]")));

        // a new account's console speaks Ukrainian
        waitFor(browser, "Черга");
        assertThat(browser.findElement(By.cssSelector(".account")).getText()).contains(account.operator().username());
        assertThat(browser.findElement(By.cssSelector("nav a[aria-current=page]")).getText()).isEqualTo("Черга");
        screenshot(browser, "console-queue");
        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot(browser, "console-queue-phone");
        assertThat(scrollWidth(browser)).as("no sideways scrolling on a phone").isLessThanOrEqualTo(390);
    }

    @Test
    void aWrongCodeKeepsTheBrowserOutWithJavaScriptOff() throws IOException {
        var account = administration.createEnrolled(name("nojs"), Role.COORDINATOR, PASSWORD);
        var browser = chromium(false);
        browser.get(url("/console/login"));
        submitPassword(browser, account.operator().username());
        waitForPath(browser, "/console/login/code");
        var right = nextCode(account.enrolment().secret());

        browser.findElement(By.id("code")).sendKeys(String.format("%06d", (Integer.parseInt(right) + 1) % 1_000_000));
        Browser.clickAndLoad(browser, browser.findElement(By.cssSelector("main button[type=submit]")));
        assertThat(new WebDriverWait(browser, Browser.PATIENCE)
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".problem"))).getText())
                .contains("not accepted");
        screenshot(browser, "console-code-refused");
        browser.get(url("/console"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/login");

        browser.get(url("/console/login"));
        submitPassword(browser, account.operator().username());
        waitForPath(browser, "/console/login/code");
        browser.findElement(By.id("code")).sendKeys(nextCode(account.enrolment().secret()));
        Browser.clickAndLoad(browser, browser.findElement(By.cssSelector("main button[type=submit]")));
        waitFor(browser, "Черга");
    }

    @Test
    void enrolsANewAccountFromTheQrCodePage() throws IOException {
        var created = administration.create(name("admin"), Role.ADMIN, PASSWORD);
        var browser = chromium(true);
        browser.get(url("/console/login"));
        submitPassword(browser, created.username());

        waitForPath(browser, "/console/login/enrol");
        var qr = browser.findElement(By.cssSelector("img.qr"));
        assertThat((Long) ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", qr))
                .as("the QR code image loaded").isEqualTo(240L);
        assertThat(browser.findElements(By.cssSelector(".codes code"))).hasSize(10);
        screenshot(browser, "console-enrolment");
        var secret = browser.findElement(By.cssSelector("code.secret")).getText();
        browser.findElement(By.id("code")).sendKeys(nextCode(secret));
        Browser.clickAndLoad(browser, browser.findElement(By.cssSelector("main form button[type=submit]")));

        // the admin who made the account chose its password: its owner chooses his own before anything else
        waitForPath(browser, "/console/account/password");
        waitFor(browser, "Зміна пароля");
        screenshot(browser, "console-password");
        browser.findElement(By.id("current")).sendKeys(PASSWORD);
        browser.findElement(By.id("password")).sendKeys("a password of his own choosing");
        browser.findElement(By.id("repeat")).sendKeys("a password of his own choosing");
        Browser.clickAndLoad(browser, browser.findElement(By.cssSelector("main form button[type=submit]")));
        new WebDriverWait(browser, Browser.PATIENCE).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("main .notice"), "Пароль змінено."));
        Browser.clickAndLoad(browser, browser.findElement(By.linkText("До консолі")));

        waitFor(browser, "Користувачі");
        waitForPath(browser, "/console/users");
        screenshot(browser, "console-users");
    }

    private void submitPassword(WebDriver browser, String username) {
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        Browser.clickAndLoad(browser, browser.findElement(By.cssSelector("main button[type=submit]")));
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

    private static void waitFor(WebDriver browser, String heading) {
        new WebDriverWait(browser, Browser.PATIENCE)
                .until(ExpectedConditions.textToBe(By.tagName("h1"), heading));
    }

    /** A click that submits a form returns before the next page may have arrived. */
    private static void waitForPath(WebDriver browser, String path) {
        new WebDriverWait(browser, Browser.PATIENCE).until(ExpectedConditions.urlMatches(".*" + path + "$"));
    }

    private static long scrollWidth(WebDriver browser) {
        return (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth");
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Debian's Chromium and ChromeDriver, named outright so that Selenium Manager never downloads anything. */
    private WebDriver chromium(boolean javascript) {
        var options = Browser.headless(1280, 900);
        if (!javascript) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        var driver = new ChromeDriver(Browser.driverService(), options);
        drivers.add(driver);
        return driver;
    }

    private static void screenshot(WebDriver browser, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
    }
}
