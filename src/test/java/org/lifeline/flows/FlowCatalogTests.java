package org.lifeline.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.LifelineApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The server starts only on flows that validate, and says what is wrong in the words of {@code flows validate}. */
class FlowCatalogTests {

    @TempDir
    Path dataDir;

    @Test
    void serverRefusesToStartWithABrokenFlowDirectory() {
        var directory = FlowsCommandTests.brokenOverlay();

        var failure = catchThrowable(() -> new SpringApplicationBuilder(LifelineApplication.class)
                .web(WebApplicationType.NONE)
                .properties("lifeline.flows.directory=" + directory, "lifeline.data-dir=" + dataDir,
                        "lifeline.background-work=false", "logging.level.root=OFF")
                .run());

        var cause = findCause(failure);
        var expected = directory + "/typo/typo.yaml:10: node 'ask_group' goes to unknown node 'wehre'";
        assertThat(cause.getMessage()).contains(expected);
        var analysis = new InvalidFlowsFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).contains("The conversation flows do not validate", expected);
        assertThat(analysis.getAction()).contains("flows validate");
    }

    @Test
    void loadsTheShippedFlowsWithoutADirectory() {
        var catalog = new FlowCatalog(new FlowsSettings(null, FlowsSettings.Unsolicited.OFF), java.time.Clock.systemUTC());

        assertThat(catalog.registry().flowIds()).containsExactly("family", "information", "main", "surrender");
    }

    private static InvalidFlowsException findCause(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidFlowsException invalid) {
                return invalid;
            }
        }
        throw new AssertionError("not refused for invalid flows", failure);
    }
}
