package org.lifeline.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lifeline.flows.engine.FlowLibrary;
import org.lifeline.flows.engine.FlowRegistry;

/**
 * The main path of each flow in each language, as {@code flows try} shows it, against the transcript in
 * src/test/resources/flows/golden/FLOW.LANG.txt; the typed answers are in FLOW.input (the same in every language).
 * After a deliberate change to a flow or its texts, regenerate with
 * {@code ./mvnw test -Dtest=GoldenTranscriptTests -Dlifeline.golden.update=true} and review the diff.
 */
class GoldenTranscriptTests {

    private static final Path GOLDEN = Path.of("src/test/resources/flows/golden");
    private static final FlowRegistry registry = FlowLibrary.load((Path) null).registry();

    static Stream<Arguments> flowsAndLanguages() {
        return Stream.of("main", "surrender", "family", "information").flatMap(flow ->
                registry.latest(flow).languages().stream().map(language -> Arguments.of(flow, language)));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("flowsAndLanguages")
    void mainPathMatchesTheGoldenTranscript(String flow, String language) throws IOException {
        var script = Files.readString(GOLDEN.resolve(flow + ".input"));
        var transcript = new StringWriter();
        new Simulator(registry, Instant.parse("2025-01-01T00:00:00Z"), new PrintWriter(transcript), true,
                FlowsCommand.serviceName())
                .run(new BufferedReader(new StringReader(script)), flow, language, true);

        var golden = GOLDEN.resolve(flow + "." + language + ".txt");
        if (Boolean.getBoolean("lifeline.golden.update")) {
            Files.writeString(golden, transcript.toString(), StandardCharsets.UTF_8);
        }
        assertThat(transcript.toString()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
