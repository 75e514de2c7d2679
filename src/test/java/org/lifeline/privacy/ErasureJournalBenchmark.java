package org.lifeline.privacy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.platform.TimeOrderedIds;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the erasure journal's re-application costs every start once erasures have piled up: {@code
 * benchmark.erasures} (200,000) keys destroyed in the database and listed in the journal, then as many more in the
 * journal only (a database restored from a backup taken before keys that were made and erased since). Beside it, in
 * the same run, the bare reads it cannot do without: the destroyed keys' ids from the database and the journal's
 * bytes from its file. On H2 in the default execution, on PostgreSQL in the {@code postgres} one. Not a test (see
 * BENCHMARKS.md).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@Tag("integration")
class ErasureJournalBenchmark {

    static final int ERASURES = Integer.getInteger("benchmark.erasures", 200_000);
    static final int ROUNDS = 3;

    static Path journalFile;

    @DynamicPropertySource
    static void journal(DynamicPropertyRegistry registry) throws Exception {
        journalFile = Files.createTempDirectory("erasure-journal-benchmark").resolve("erasures.log");
        registry.add("lifeline.crypto.erasure-journal", journalFile::toString);
    }

    @Autowired
    ErasureReapplication reapplication;

    @Autowired
    ErasureJournal journal;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void measure() throws Exception {
        var inDatabase = insertDestroyed(ERASURES);
        var report = new StringBuilder("%s, %,d destroyed keys in the database and in the journal; best of %d%n"
                .formatted("postgres".equals(System.getProperty("lifeline.test.database")) ? "PostgreSQL" : "H2",
                        ERASURES, ROUNDS));
        try {
            journal.append(inDatabase.stream().map(id -> new ErasureJournal.Entry(Instant.now(), id)).toList());
            report.append(line("bare: the destroyed keys' ids and times read from the database", this::bareScan));
            report.append(line("bare: the journal file's bytes read", () -> Files.readAllBytes(journalFile)));
            report.append(line("re-application, first start on this journal (no record of it in the database)",
                    () -> {
                        jdbc.update("delete from erasure_journal_settled");
                        reapplication.reapply();
                    }));
            report.append(line("re-application, nothing new since the last start", reapplication::reapply));

            var settled = jdbc.queryForMap("select * from erasure_journal_settled");
            var journalOnly = new ArrayList<ErasureJournal.Entry>();
            for (int i = 0; i < ERASURES; i++) {
                journalOnly.add(new ErasureJournal.Entry(Instant.now(), TimeOrderedIds.next()));
            }
            journal.append(journalOnly);
            // each round on the record of the database before these (a backup restored), as a restore brings back
            report.append(line("re-application, %,d more keys in the journal only".formatted(ERASURES), () -> {
                jdbc.update("update erasure_journal_settled set settled_bytes = ?, settled_seq = ?",
                        settled.get("settled_bytes"), settled.get("settled_seq"));
                reapplication.reapply();
            }));
            report.append(line("re-application, nothing new since, after them", reapplication::reapply));
            report.append("journal: %,d bytes%n".formatted(Files.size(journalFile)));
        } finally {
            for (int from = 0; from < inDatabase.size(); from += 1_000) {
                var batch = inDatabase.subList(from, Math.min(inDatabase.size(), from + 1_000));
                jdbc.batchUpdate("delete from data_key where id = ?", batch, batch.size(),
                        (statement, id) -> statement.setObject(1, id));
            }
        }
        System.out.print(report);
        var out = Path.of("target", "benchmarks");
        Files.createDirectories(out);
        Files.writeString(out.resolve("erasure-journal-" + System.getProperty("lifeline.test.database", "h2") + ".md"),
                report);
    }

    private List<UUID> insertDestroyed(int count) {
        var ids = new ArrayList<UUID>(count);
        var now = Timestamp.from(Instant.now());
        for (int i = 0; i < count; i++) {
            ids.add(TimeOrderedIds.next());
        }
        for (int from = 0; from < count; from += 1_000) {
            var batch = ids.subList(from, Math.min(count, from + 1_000));
            jdbc.batchUpdate("insert into data_key (id, created_at, destroyed_at, destroyed_seq) values (?, ?, ?, 0)", batch,
                    batch.size(), (statement, id) -> {
                        statement.setObject(1, id);
                        statement.setTimestamp(2, now);
                        statement.setTimestamp(3, now);
                    });
        }
        return ids;
    }

    private void bareScan() {
        jdbc.query("select id, destroyed_at from data_key where wrapped_key is null",
                rs -> {
                    rs.getObject(1, UUID.class);
                    rs.getTimestamp(2);
                });
    }

    private interface Work {
        void run() throws Exception;
    }

    private static String line(String what, Work work) throws Exception {
        var best = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            var started = System.nanoTime();
            work.run();
            best = Math.min(best, System.nanoTime() - started);
        }
        return "%-75s %,10.1f ms%n".formatted(what, best / 1e6);
    }
}
