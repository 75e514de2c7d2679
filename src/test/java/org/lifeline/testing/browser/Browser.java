package org.lifeline.testing.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, both named explicitly so that Selenium Manager
 * never downloads a browser or driver. One per test class: start it in {@code @BeforeAll}, close it in
 * {@code @AfterAll}. The window is phone-sized, as most visitors' screens are.
 */
public final class Browser implements AutoCloseable {

    /**
     * How long a browser test waits for what it expects to see: a bound on a failure, not a speed the test asserts,
     * so a generous one. Chromium, the server and a full build share two cores; under four builds at once a page
     * took longer than the 20 s a test waited before.
     */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Where screenshots go: kept by the build as test artifacts. */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static Browser start() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("Browser tests need Debian's chromium and chromium-driver "
                    + "(apt-get install -y chromium chromium-driver; .ci/run installs them)");
        }
        try {
            var profile = Files.createTempDirectory("lifeline-chromium-");
            var options = headless(412, 915);
            options.addArguments("--user-data-dir=" + profile);
            var logging = new LoggingPreferences();
            logging.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logging);
            var driver = new ChromeDriver(driverService(), options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
            return new Browser(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Debian's Chromium, headless, with a window of this size and nothing that reaches out to the network. */
    public static ChromeOptions headless(int width, int height) {
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --remote-allow-origins: Chromium 156 left Selenium's DevTools connection unanswered without it, and each
        // browser waited three minutes for it (the browser is headless, on this machine, for the test only)
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--remote-allow-origins=*", "--window-size=" + width + "," + height);
        return options;
    }

    /** Debian's chromedriver, for a driver of the caller's own. */
    public static ChromeDriverService driverService() {
        return new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    }

    /**
     * Clicks a control that loads another page (a form's submit button, a link) and returns once the page it was on
     * has gone, so that whatever the caller waits for next is looked for on the new page. Without this a wait can find
     * the old page's element and read it while the browser replaces the document, which Chromium reports as an
     * "unknown error" that no wait ignores.
     */
    public static void clickAndLoad(WebDriver driver, WebElement control) {
        var before = driver.findElement(By.tagName("html"));
        control.click();
        new WebDriverWait(driver, PATIENCE).until(d -> gone(before));
    }

    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Turns page scripts off or on, as Tor Browser's "Safest" level does; stays so across navigations. */
    public void javascript(boolean enabled) {
        driver.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", !enabled));
    }

    /** What the page logged to the console since the last call: CSP violations show up here. */
    public List<String> consoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(entry -> entry.getMessage()).toList();
    }

    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            var file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
