package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.channels.TransitKeys;
import org.lifeline.platform.CommandContext;
import org.lifeline.testing.PersistenceTest;
import org.lifeline.testing.SetAsideRows;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code inbound failed list}, {@code retry} and {@code discard} as an admin runs them on the server: what an update
 * says never printed, each run in the access record with no operator, as the console's page is. The updates are of a
 * bot no node serves (what each "says" stored as plain text, so that printing it would be seen).
 */
@PersistenceTest
@Tag("integration")
class InboundCommandIntegrationTests {

    static final String BOT = "lifeline_unserved_cli_bot";

    @Test
    void listsTriesAgainAndDiscardsWhatWasSetAsideAndRecordsEachRun() {
        var marker = "секрет-" + UUID.randomUUID();
        try (var context = new CommandContext(LifelineApplication.class)) {
            var jdbc = context.bean(JdbcClient.class);
            try {
                var conversation = UUID.randomUUID();
                var key = context.bean(TransitKeys.class).today().value();
                var retried = setAside(jdbc, key, marker, conversation);
                var discarded = setAside(jdbc, key, marker, null);

                var listed = run(context, 0, "inbound", "failed", "list");
                assertThat(listed.out()).contains(retried + "\ttelegram\t" + BOT + "\t")
                        .contains("\t5\tDataIntegrityViolationException\t" + conversation + "\tkept\n")
                        .contains(discarded + "\ttelegram\t" + BOT + "\t")
                        .contains("\t5\tDataIntegrityViolationException\t-\tkept\n")
                        .doesNotContain(marker);
                assertThat(lastEntry(jdbc)).isEqualTo("- inbound.failed.read - SUCCEEDED");

                run(context, 0, "inbound", "failed", "retry", Long.toString(retried));
                assertThat(row(jdbc, retried)).isEqualTo("PENDING 0 kept");
                assertThat(lastEntry(jdbc)).isEqualTo("- inbound.failed.retry " + retried + " SUCCEEDED");

                run(context, 0, "inbound", "failed", "discard", Long.toString(discarded));
                assertThat(row(jdbc, discarded)).isEqualTo("DISCARDED 5 shredded");
                assertThat(lastEntry(jdbc)).isEqualTo("- inbound.failed.discard " + discarded + " SUCCEEDED");

                assertThat(run(context, 0, "inbound", "failed", "list").out()).doesNotContain(retried + "\t")
                        .doesNotContain(discarded + "\t");

                // neither is set aside any more: refused, and recorded as refused
                assertThat(run(context, 1, "inbound", "failed", "retry", Long.toString(discarded)).err())
                        .contains("no update " + discarded + " is set aside");
                assertThat(lastEntry(jdbc)).isEqualTo("- inbound.failed.retry " + discarded + " REFUSED");
                run(context, 1, "inbound", "failed", "discard", Long.toString(retried));
                assertThat(lastEntry(jdbc)).isEqualTo("- inbound.failed.discard " + retried + " REFUSED");
            } finally {
                jdbc.sql("delete from inbound_update where endpoint = ?").param(BOT).update();
            }
        }
    }

    @Test
    void helpNamesTheCommands() {
        try (var context = new CommandContext(LifelineApplication.class)) {
            assertThat(run(context, 0, "--help").out()).contains("inbound");
            assertThat(run(context, 0, "inbound", "failed", "--help").out()).contains("list", "retry", "discard");
        }
    }

    private record Ran(String out, String err) {
    }

    private static Ran run(CommandContext context, int exit, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var code = LifelineCommandLine.commandLine(context).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        assertThat(code).as("exit of %s: %s", List.of(args), err).isEqualTo(exit);
        return new Ran(out.toString(), err.toString());
    }

    private static long setAside(JdbcClient jdbc, UUID key, String marker, UUID conversation) {
        return SetAsideRows.insert(jdbc, BOT, key, marker, conversation, Instant.now());
    }

    private static String row(JdbcClient jdbc, long id) {
        return jdbc.sql("select state, attempts, payload_enc from inbound_update where id = ?").param(id)
                .query((rs, n) -> rs.getString(1) + " " + rs.getInt(2) + " "
                        + (rs.getBytes(3) == null ? "shredded" : "kept"))
                .single();
    }

    /** The newest entry of the access record: actor (or -), action, subject (or -), outcome. */
    private static String lastEntry(JdbcClient jdbc) {
        return jdbc.sql("""
                        select coalesce(cast(actor_id as varchar), '-') || ' ' || action || ' '
                          || coalesce(subject_id, '-') || ' ' || outcome
                        from access_log order by seq desc fetch first 1 rows only""")
                .query(String.class).single();
    }
}
