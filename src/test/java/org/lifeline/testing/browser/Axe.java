package org.lifeline.testing.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs axe-core in the page under test. The script comes from the axe-core webjar on the test classpath and is
 * injected by the test: the site itself never serves it.
 */
public final class Axe {

    /** The impacts that fail a page. */
    public static final Set<String> FAILING = Set.of("serious", "critical");

    private static final String SCRIPT = load();

    private Axe() {
    }

    public record Violation(String id, String impact, String help, List<String> targets) {
    }

    /** The page's violations of WCAG 2 A and AA rules and axe's best practices. */
    public static List<Violation> run(WebDriver driver) {
        var js = (JavascriptExecutor) driver;
        js.executeScript(SCRIPT);
        var result = (String) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                   .then(results => done(JSON.stringify(results.violations.map(v => ({
                       id: v.id, impact: v.impact, help: v.help,
                       targets: v.nodes.map(n => n.target.join(' '))})))))
                   .catch(error => done('axe failed: ' + error));
                """);
        if (result.startsWith("axe failed")) {
            throw new IllegalStateException(result);
        }
        return List.of(JsonMapper.shared().readValue(result, Violation[].class));
    }

    /** Only the violations that fail a page. */
    public static List<Violation> failing(WebDriver driver) {
        return run(driver).stream().filter(violation -> FAILING.contains(violation.impact())).toList();
    }

    private static String load() {
        try {
            var scripts = new PathMatchingResourcePatternResolver()
                    .getResources("classpath*:META-INF/resources/webjars/axe-core/*/axe.min.js");
            if (scripts.length == 0) {
                throw new IllegalStateException("axe-core is missing from the test classpath (org.webjars.npm:axe-core)");
            }
            return scripts[0].getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
