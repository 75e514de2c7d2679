package org.lifeline.flows.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.lifeline.flows.SessionFormat;

/** A server restart in the middle of a flow: the host kept only the stored state. */
class SessionRestartTests {

    @Test
    void resumesAtTheSameNodeWithTheAnswersKept() {
        var before = new FlowEngine(FlowLibrary.load((Path) null).registry(), Clock.fixed(Instant.parse("2025-01-01T10:00:00Z"), ZoneOffset.UTC));
        var step = before.start("surrender", Entry.of("ko", true));
        for (var answer : new String[] {"1", "2", "3"}) {
            step = before.handle(step.session(), new Input.Text(answer));
        }
        var stored = SessionFormat.write(step.session());

        var after = new FlowEngine(FlowLibrary.load((Path) null).registry(), Clock.fixed(Instant.parse("2025-01-01T11:00:00Z"), ZoneOffset.UTC));
        var resumed = SessionFormat.read(stored);
        assertThat(resumed.node()).isEqualTo("status");
        assertThat(resumed.language()).isEqualTo("ko");
        assertThat(resumed.answers()).containsEntry("want", "surrender").containsEntry("group", "with_others")
                .containsEntry("group_size", "3");

        assertThat(resumed.history()).containsExactly("want", "group", "group_size");
        var next = after.handle(after.handle(resumed, new Input.Text("1")).session(), new Input.Text("1"));
        assertThat(next.session().node()).isEqualTo("location");
        assertThat(next.session().answers()).containsEntry("group_size", "3").containsEntry("status", "front");
        assertThat(next.outputs()).singleElement().isInstanceOf(Output.LocationRequest.class);
    }

    @Test
    void storesAnswersWithLineBreaksQuotesAndBackslashes() {
        var engine = new FlowEngine(FlowLibrary.load((Path) null).registry(), Clock.systemUTC());
        var step = engine.start("family", Entry.of("en", true));
        step = engine.handle(step.session(), new Input.Text("Ivan \\ \"Petrov\"\nb=c"));

        assertThat(SessionFormat.read(SessionFormat.write(step.session()))).isEqualTo(step.session());
    }
}
