package org.lifeline.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class FlowsCommandTests {

    private final StringWriter out = new StringWriter();
    private final CommandLine command = new CommandLine(new FlowsCommand()).setOut(new PrintWriter(out));

    @Test
    void validatesTheShippedFlowsCleanly() {
        assertThat(command.execute("validate")).isZero();
        assertThat(out.toString()).contains("Flows are valid: family v2, information v2, main v2, surrender v2; languages ru, ko, uk, en");
    }

    @Test
    void reportsProblemsOfALaidOverDirectoryWithFileAndLineAndExitsNonZero() {
        var directory = brokenOverlay();

        assertThat(command.execute("validate", directory.toString())).isEqualTo(1);
        assertThat(out.toString())
                .contains(directory + "/typo/typo.yaml:10: node 'ask_group' goes to unknown node 'wehre'")
                .contains("1 problem");
    }

    @Test
    void aMissingDirectoryIsAProblemToo() {
        assertThat(command.execute("validate", "/nonexistent/flows")).isEqualTo(1);
        assertThat(out.toString()).contains("/nonexistent/flows: not a directory");
    }

    @Test
    void triesAFlowFromStandardInput() {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("2\n/wait 3h\n/wait 1d\n".getBytes(StandardCharsets.UTF_8)));

            assertThat(command.execute("try", "information", "--lang", "ko")).isZero();
        } finally {
            System.setIn(stdin);
        }
        assertThat(out.toString())
                .contains("무엇을 알고싶습니까?", "  10. 다 알았습니다", "먼저 몸수색을 하고")
                .as("the service's name on a button").doesNotContain("{service_name}")
                .as("the information flow sets no reminder").doesNotContain("아직 계십니까?")
                .contains("오래동안 대답이 없어 대화를 닫았습니다.", "[end (expired)]");
    }

    @Test
    void tryNamesTheFlowsWhenGivenAnUnknownOne() {
        assertThat(command.execute("try", "surender")).isEqualTo(1);
        assertThat(out.toString()).contains("No flow 'surender'; there are: family, information, main, surrender");
    }

    static Path brokenOverlay() {
        try {
            return Path.of(FlowsCommandTests.class.getResource("/flows/broken/overlay").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
