package org.lifeline.privacy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.lifeline.platform.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The erasure journal: every data key destroyed, as {@code <time> <data key id>} a line, in a file outside the
 * database ({@code <data-dir>/keys/erasures.log}, or {@code lifeline.crypto.erasure-journal}), so that a database
 * restored from a backup taken before an erasure can be erased again ({@link ErasureReapplication}). It holds random
 * ids and times only: no channel id, name, text or keyed hash.
 * <p>
 * A destruction is appended once its transaction has committed, never before: an entry written before a commit that
 * then failed would erase, at the next start, a person who was never erased. A crash between the commit and the
 * append loses no erasure either: the key is destroyed in the database, and the next start appends every destroyed
 * key the journal lacks. Each append is forced to disk; a line torn by a crash is skipped when read.
 */
@Component
class ErasureJournal {

    static final String FILE = "erasures.log";

    private static final Logger log = LoggerFactory.getLogger(ErasureJournal.class);

    private final Path file;

    ErasureJournal(PrivacySettings settings, DataDirectory dataDirectory) {
        this.file = settings.erasureJournal() != null ? settings.erasureJournal().toAbsolutePath()
                : dataDirectory.directory("keys").resolve(FILE);
    }

    /** One destruction: which data key, and when. */
    record Entry(Instant at, UUID key) {
    }

    Path file() {
        return file;
    }

    /** Notes a destroyed key, to be appended when the transaction commits (at once outside a transaction). */
    void recordAtCommit(UUID key, Instant at) {
        var entry = new Entry(at, key);
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            append(List.of(entry));
            return;
        }
        // the synchronizations are the current transaction's only (an outer one's are suspended meanwhile)
        TransactionSynchronizationManager.getSynchronizations().stream()
                .filter(sync -> sync instanceof AtCommit atCommit && atCommit.journal() == this)
                .map(AtCommit.class::cast)
                .findFirst()
                .orElseGet(() -> {
                    var atCommit = new AtCommit(this);
                    TransactionSynchronizationManager.registerSynchronization(atCommit);
                    return atCommit;
                })
                .entries().add(entry);
    }

    /**
     * The destructions of one transaction, appended in one write once it has committed. A class, not a record: the
     * transaction keeps it in a hash set while its list grows.
     */
    private static final class AtCommit implements TransactionSynchronization {

        private final ErasureJournal journal;
        private final List<Entry> entries = new ArrayList<>();

        AtCommit(ErasureJournal journal) {
            this.journal = journal;
        }

        ErasureJournal journal() {
            return journal;
        }

        List<Entry> entries() {
            return entries;
        }

        @Override
        public void afterCommit() {
            try {
                journal.append(entries);
            } catch (UncheckedIOException e) {
                // the erasure is done and committed: the next start appends it from the database
                log.error("Could not append {} erasures to the erasure journal {}: the next start appends them",
                        entries.size(), journal.file(), e);
            }
        }
    }

    /** Appends the entries as one write, forced to disk before returning. */
    synchronized void append(Collection<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        var text = new StringBuilder();
        entries.forEach(entry -> text.append(entry.at()).append(' ').append(entry.key()).append('\n'));
        try {
            createIfAbsent();
            try (var channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                var bytes = ByteBuffer.wrap(text.toString().getBytes(UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the erasure journal " + file, e);
        }
    }

    /**
     * Every key in the journal, with the time it was first destroyed. A line that is not an entry (torn by a crash
     * mid-write) is skipped with a warning; one left unterminated is ended, so that the next append starts a line.
     */
    synchronized Map<UUID, Instant> read() {
        var keys = new LinkedHashMap<UUID, Instant>();
        if (!Files.exists(file)) {
            return keys;
        }
        try {
            var bytes = Files.readAllBytes(file);
            var lines = new String(bytes, UTF_8).split("\n", -1);
            var skipped = 0;
            for (var i = 0; i < lines.length; i++) {
                if (lines[i].isEmpty()) {
                    continue;
                }
                var parts = lines[i].split(" ");
                try {
                    if (parts.length != 2 || parts[1].length() != 36) {
                        throw new IllegalArgumentException();
                    }
                    keys.putIfAbsent(UUID.fromString(parts[1]), Instant.parse(parts[0]));
                } catch (IllegalArgumentException | DateTimeParseException e) {
                    // the line's content is not repeated: a damaged line could hold anything
                    log.warn("Skipped line {} of the erasure journal {}: not an entry (a write cut short by a crash?)",
                            i + 1, file);
                    skipped++;
                }
            }
            if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
                try (var channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
                    channel.force(false);
                }
            }
            if (skipped > 0) {
                log.warn("The erasure journal {} had {} damaged lines; the other {} entries are read", file, skipped,
                        keys.size());
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the erasure journal " + file, e);
        }
    }

    private void createIfAbsent() throws IOException {
        if (Files.exists(file)) {
            return;
        }
        Files.createDirectories(file.getParent());
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // created meanwhile by another process on the same directory
        }
    }
}
