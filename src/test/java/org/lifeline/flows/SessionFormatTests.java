package org.lifeline.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lifeline.flows.engine.Session;

class SessionFormatTests {

    private final Session session = new Session("surrender", 3, "main", "location", "ko", Session.Status.ACTIVE,
            Session.Pending.NONE, 1, Instant.parse("2026-11-30T10:00:00Z"), true, false, true, "leaflet-7",
            Map.of("name", "리철민\n\"조선\" = \\", "group_size", "3"), List.of("want", "group"));

    @Test
    void storesTheRecordAsJson() {
        var stored = SessionFormat.write(session);
        assertThat(stored).startsWith("{").contains("\"node\":\"location\"", "\"campaign\":\"leaflet-7\"");
        assertThat(SessionFormat.read(stored)).isEqualTo(session);
    }

    @Test
    void storesTimesAsNumbersToTheNanosecondAndReadsThoseStoredAsText() {
        var precise = new Session("main", 1, "main", "start", null, Session.Status.ACTIVE, Session.Pending.NONE, 0,
                Instant.parse("2026-11-30T10:00:00.123456789Z"), false, false, false, null, Map.of(), List.of());
        var stored = SessionFormat.write(precise);
        assertThat(stored).contains("\"waitingSince\":" + precise.waitingSince().getEpochSecond() + ".123456789");
        assertThat(SessionFormat.read(stored)).isEqualTo(precise);

        var asText = stored.replace(precise.waitingSince().getEpochSecond() + ".123456789",
                "\"2026-11-30T10:00:00.123456789Z\"");
        assertThat(SessionFormat.read(asText)).isEqualTo(precise);
    }

    @Test
    void readsSessionsStoredAsLinesBeforeJson() {
        var lines = """
                flow=surrender
                version=3
                entryFlow=main
                node=location
                language=ko
                status=ACTIVE
                pending=NONE
                retries=1
                waitingSince=2026-11-30T10:00:00Z
                reminded=true
                caseOpened=false
                photos=true
                campaign=leaflet-7
                history=want,group
                answer.name=리철민\\n"조선" \\e \\\\
                answer.group_size=3
                """;
        assertThat(SessionFormat.read(lines)).isEqualTo(session);
    }
}
