package org.lifeline.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.testing.ManualClock;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.OperatorDuty;
import org.lifeline.operators.Role;
import org.lifeline.testing.ConsoleTest;
import org.lifeline.testing.browser.Axe;
import org.lifeline.testing.browser.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An operator starts his shift on the phone line in headless Chromium: from the navigation to the phone line page,
 * his languages and SIP address, on duty; the page passes the accessibility checks before and after.
 */
@ConsoleTest
@Tag("browser")
@Tag("integration")
class DutyConsoleBrowserTests {

    static final String PASSWORD = "a long enough password";

    @LocalServerPort
    int port;

    @Autowired
    OperatorAdministration administration;

    @Autowired
    OperatorDuty duty;

    @Autowired
    ManualClock clock;

    @Test
    void anOperatorGoesOnDutyFromThePhoneLinePage() {
        var operator = administration.createEnrolled("duty-" + UUID.randomUUID().toString().substring(0, 8),
                Role.OPERATOR, PASSWORD);
        try (var browser = Browser.start()) {
            var driver = browser.driver();
            signIn(driver, operator.operator().username(), operator.enrolment().secret());
            Browser.clickAndLoad(driver, driver.findElement(By.linkText("Телефонна лінія")));
            waitFor(driver, "Телефонна лінія");
            assertThat(Axe.failing(driver)).as("accessibility of the phone line page").isEmpty();

            driver.findElement(By.id("language-ko")).click();
            driver.findElement(By.id("language-ru")).click();
            driver.findElement(By.id("reach-at")).sendKeys("sip:duty@pbx.example.org");
            driver.findElement(By.id("on-duty")).click();
            Browser.clickAndLoad(driver, driver.findElement(By.cssSelector("main form button[type=submit]")));

            assertThat(new WebDriverWait(driver, Browser.PATIENCE).until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector(".notice"))).getText()).isEqualTo("Ви чергуєте.");
            var set = duty.of(operator.operator().id());
            assertThat(set.onDuty()).isTrue();
            assertThat(set.languages()).containsExactly("ru", "ko");
            assertThat(set.reachAt()).isEqualTo("sip:duty@pbx.example.org");
            browser.screenshot("console-uk-duty");
            assertThat(Axe.failing(driver)).as("accessibility after the change").isEmpty();
            duty.set(operator.operator().id(), false, java.util.List.of(), null);
        }
    }

    private void signIn(WebDriver driver, String username, String secret) {
        driver.get("http://127.0.0.1:" + port + "/console/login");
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(PASSWORD);
        Browser.clickAndLoad(driver, driver.findElement(By.cssSelector("main button[type=submit]")));
        new WebDriverWait(driver, Browser.PATIENCE).until(ExpectedConditions.urlMatches(".*/console/login/code$"));
        driver.findElement(By.id("code")).sendKeys(nextCode(secret));
        Browser.clickAndLoad(driver, driver.findElement(By.cssSelector("main button[type=submit]")));
        waitFor(driver, "Черга");
    }

    private static void waitFor(WebDriver driver, String heading) {
        new WebDriverWait(driver, Browser.PATIENCE).until(ExpectedConditions.textToBe(By.tagName("h1"), heading));
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
}
