package org.lifeline.flows.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One small broken flow per kind of problem (src/test/resources/flows/broken/KIND, over the common texts in
 * broken/base): each is reported, alone, with its file and line.
 */
class FlowValidationTests {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            syntax            | f/f.yaml:8: YAML syntax: mapping values are not allowed here
            unknown-kind      | f/f.yaml:10: node 'done': unknown kind 'finish'
            unknown-field     | f/f.yaml:8: node 'ask': unknown field 'stroe'
            missing-field     | f/f.yaml:10: node 'hello': missing 'next'
            unknown-node      | f/f.yaml:9: node 'ask_group' goes to unknown node 'wehre'
            unknown-flow      | f/f.yaml:10: node 'elsewhere' goes to unknown flow 'nowhere'
            unreachable       | f/f.yaml:11: node 'forgotten' is unreachable from start 'ask'
            dead-end          | f/f.yaml:5: node 'ask' is a dead end: no path from it reaches an end, a handover or another flow
            unstored-field    | f/f.yaml:11: node 'open' uses field 'anwser' that no node stores
            missing-key       | f/f.yaml:9: key 'ask.ok' has no 'ru' text
            extra-key         | f/en.yaml:3: key 'ask.cancel' is not used by flow 'f'
            placeholders      | f/ru.yaml:1: key 'ask.text' has placeholders {nmae} but
            missing-language  | f/: no translation file for language 'ru': add f/ru.yaml
            too-long-wait     | f/f.yaml:8: node 'ask': 'expire_after' is at most 90d, not '9999999999999d'
            unreadable-wait   | f/f.yaml:5: flow timeouts: 'remind_after' is at most 90d, not '99999999999999999999d'
            long-choice-id    | f/f.yaml:10: node 'ask': choice id 'да_это_очень_длинный_идентификатор_кнопки' is longer than 64 bytes
            jump-to-itself    | f/f.yaml:5: node 'hello' runs in a circle without asking anything: f.hello → f.again → f.hello
            circle-of-flows   | f/f.yaml:5: node 'hello' runs in a circle without asking anything: f.hello → f.elsewhere → g.back → f.hello
            circle-in-flow    | f/f.yaml:11: node 'check' runs in a circle without asking anything: f.check → f.hello → f.check
            """)
    void reportsEachKindOfProblemWithFileAndLine(String fixture, String expected) {
        var result = FlowLibrary.load(List.of(fixture("base"), fixture(fixture)));

        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).singleElement().satisfies(problem -> assertThat(problem.toString()).contains(expected));
        assertThat(result.registry().flowIds()).as("nothing invalid is loaded").isEmpty();
    }

    @Test
    void theFixturesBreakOnlyWhatTheyNameOnTopOfAValidBase() {
        assertThat(FlowLibrary.load(List.of(fixture("base"), fixture("valid"))).problems()).isEmpty();
    }

    @Test
    void shippedFlowsAreValid() {
        var result = FlowLibrary.load((Path) null);

        assertThat(result.problems()).isEmpty();
        assertThat(result.registry().flowIds()).contains("main", "surrender", "family", "information");
        assertThat(result.registry().latest("surrender").languages()).as("the language menu's order")
                .containsExactly("ru", "ko", "uk", "en");
    }

    @Test
    void aTranslationWithAnUnknownLanguageCodeOrAMissingCommonFileIsReported() {
        var result = FlowLibrary.load(List.of(fixture("base"), fixture("valid"), fixture("overlay")));

        assertThat(result.problems()).extracting(Problem::toString)
                .anySatisfy(problem -> assertThat(problem).contains("typo/ko.yaml: language 'ko' has no common/ko.yaml"));
    }

    static Path fixture(String name) {
        try {
            return Path.of(FlowValidationTests.class.getResource("/flows/broken/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
