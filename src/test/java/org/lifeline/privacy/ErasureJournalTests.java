package org.lifeline.privacy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifeline.platform.DataDirectory;
import org.lifeline.platform.PlatformSettings;

/** The erasure journal's file: owner-only, appended line by line, and read past a line a crash tore. */
class ErasureJournalTests {

    @TempDir
    Path dir;

    @Test
    void aLineTornByACrashIsSkippedAndTheNextEntryGetsALineOfItsOwn() throws Exception {
        var journal = journal(dir.resolve("erasures.log"));
        var first = UUID.randomUUID();
        var second = UUID.randomUUID();
        journal.append(List.of(new ErasureJournal.Entry(Instant.parse("2026-01-02T03:04:05Z"), first)));
        // a crash in the middle of the next write
        Files.writeString(journal.file(), "2026-01-02T03:04:06Z 0190a1b2-", java.nio.file.StandardOpenOption.APPEND);

        assertThat(journal.read()).containsOnlyKeys(first);
        journal.append(List.of(new ErasureJournal.Entry(Instant.parse("2026-01-02T03:04:07Z"), second)));

        assertThat(journal.read()).containsOnlyKeys(first, second)
                .containsEntry(second, Instant.parse("2026-01-02T03:04:07Z"));
        assertThat(Files.getPosixFilePermissions(journal.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aJournalIsNamedByARandomIdInItsFirstLineAndReadFromALineOn() throws Exception {
        var journal = journal(dir.resolve("erasures.log"));
        var first = UUID.randomUUID();
        var second = UUID.randomUUID();
        journal.append(List.of(new ErasureJournal.Entry(Instant.parse("2026-01-02T03:04:05Z"), first)));
        var afterFirst = Files.size(journal.file());
        journal.append(List.of(new ErasureJournal.Entry(Instant.parse("2026-01-02T03:04:06Z"), second)));

        var id = journal.id();
        assertThat(Files.readString(journal.file())).startsWith(ErasureJournal.HEADER + id + "\n");
        assertThat(journal(dir.resolve("other.log")).id()).isNotEqualTo(id);
        assertThat(journal.readFrom(afterFirst)).returns(id, ErasureJournal.Part::journal)
                .returns(afterFirst, ErasureJournal.Part::from)
                .returns(Files.size(journal.file()), ErasureJournal.Part::to);
        assertThat(journal.readFrom(afterFirst).entries()).containsOnlyKeys(second);
        assertThat(journal.readFrom(afterFirst - 1).entries()).as("no line starts there: all of it")
                .containsOnlyKeys(first, second);
        assertThat(journal.readFrom(Files.size(journal.file()) + 1).entries()).as("a shorter journal: all of it")
                .containsOnlyKeys(first, second);
    }

    @Test
    void aJournalWrittenBeforeItsIdIsGivenOneAndKeepsItsEntries() throws Exception {
        var file = dir.resolve("erasures.log");
        var old = UUID.randomUUID();
        Files.writeString(file, "2026-01-02T03:04:05Z " + old + "\n");
        var journal = journal(file);

        var id = journal.id();

        assertThat(journal.id()).isEqualTo(id);
        assertThat(journal.read()).containsOnlyKeys(old);
        assertThat(Files.readString(file)).isEqualTo(ErasureJournal.HEADER + id + "\n2026-01-02T03:04:05Z " + old + "\n");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void liesInTheKeyDirectoryUnlessConfiguredElsewhere() {
        var dataDirectory = new DataDirectory(new PlatformSettings(dir, false));
        var inKeys = new ErasureJournal(settings(null), dataDirectory);
        var configured = new ErasureJournal(settings(dir.resolve("shared").resolve("erasures.log")), dataDirectory);

        assertThat(inKeys.file()).isEqualTo(dir.resolve("keys").resolve("erasures.log"));
        assertThat(configured.file()).isEqualTo(dir.resolve("shared").resolve("erasures.log"));
        assertThat(inKeys.read()).as("none yet").isEmpty();
    }

    private ErasureJournal journal(Path file) {
        return new ErasureJournal(settings(file), new DataDirectory(new PlatformSettings(dir, false)));
    }

    private static PrivacySettings settings(Path journal) {
        return new PrivacySettings(null, null, 100, Duration.ofMinutes(1), journal);
    }
}
