package org.lifeline.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.testing.browser.Axe;
import org.lifeline.testing.browser.Browser;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.MessageSource;

/** The public pages in real headless Chromium, with JavaScript off (Tor Browser "Safest") and on. */
@SiteTest
@Tag("browser")
class SiteBrowserTests {

    private static final List<SiteLanguage> CHECKED = List.of(SiteLanguage.of("ko"), SiteLanguage.of("ru"));

    private static Browser browser;

    @LocalServerPort
    int port;

    @Autowired
    MessageSource messages;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        browser.close();
    }

    @BeforeEach
    void clearConsole() {
        browser.javascript(true);
        browser.consoleMessages();
    }

    @Test
    void readsAndNavigatesInKoreanAndRussianWithJavaScriptOff() {
        var driver = browser.driver();
        browser.javascript(false);
        driver.get("data:text/html,<title>off</title><script>document.title='on'</script>");
        assertThat(driver.getTitle()).as("scripts are really off").isEqualTo("off");

        driver.get(url("/ko/"));
        assertThat(driver.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("ko");
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo(text("home.title", SiteLanguage.of("ko")));
        assertThat(driver.findElement(By.tagName("header")).getCssValue("background-color"))
                .as("the stylesheet applies under the CSP").isEqualTo("rgba(11, 61, 107, 1)");
        browser.screenshot("site-ko-home-no-javascript");

        driver.findElement(By.linkText("Русский")).click();
        assertThat(driver.getCurrentUrl()).isEqualTo(url("/ru/"));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo(text("home.title", SiteLanguage.of("ru")));
        browser.screenshot("site-ru-home-no-javascript");

        driver.findElement(By.linkText(text("nav.surrender", SiteLanguage.of("ru")))).click();
        assertThat(driver.getCurrentUrl()).isEqualTo(url("/ru/surrender"));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo(text("surrender.title", SiteLanguage.of("ru")));
        browser.screenshot("site-ru-surrender-no-javascript");
    }

    @Test
    void showsEveryPageWithJavaScriptOnWithoutAnyContentSecurityPolicyViolation() {
        for (var address : pages()) {
            browser.driver().get(url(address));
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).as(address).isNotBlank();
            assertThat(browser.consoleMessages()).as(address).isEmpty();
        }
        browser.driver().get(url("/ko/contact"));
        browser.screenshot("site-ko-contact");
    }

    @Test
    void hasNoSeriousOrCriticalAccessibilityViolationsInKoreanAndRussian() {
        var addresses = new ArrayList<>(pages());
        addresses.add("/ru/nowhere");
        for (var address : addresses) {
            browser.driver().get(url(address));
            assertThat(Axe.failing(browser.driver())).as(address).isEmpty();
        }
    }

    private static List<String> pages() {
        var pages = new ArrayList<String>();
        for (var language : CHECKED) {
            for (var page : SitePage.values()) {
                pages.add("/" + language.code() + "/" + page.path());
            }
        }
        return pages;
    }

    private String text(String key, SiteLanguage language) {
        return messages.getMessage(key, null, language.locale());
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
