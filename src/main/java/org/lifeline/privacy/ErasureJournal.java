package org.lifeline.privacy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
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
 * ids and times only: no channel id, name, text or keyed hash. Its first line names it by a random id, under which the
 * database records how far it has settled it ({@link SettledJournals}).
 * <p>
 * A destruction is appended once its transaction has committed, never before: an entry written before a commit that
 * then failed would erase, at the next start, a person who was never erased. A crash between the commit and the
 * append loses no erasure either: the key is destroyed in the database, and the next start appends every destroyed
 * key the journal lacks. Each append is forced to disk; a line torn by a crash is skipped when read.
 */
@Component
class ErasureJournal {

    static final String FILE = "erasures.log";
    /** The first line's start; the journal's random id follows. */
    static final String HEADER = "# Lifeline erasure journal ";

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
            append(text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the erasure journal " + file, e);
        }
    }

    private void append(String text) throws IOException {
        try (var channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            var bytes = ByteBuffer.wrap(text.getBytes(UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        }
    }

    /**
     * Every key in the journal, with the time it was first destroyed. A line that is not an entry (torn by a crash
     * mid-write) is skipped with a warning; one left unterminated is ended, so that the next append starts a line.
     */
    Map<UUID, Instant> read() {
        return readFrom(0).entries();
    }

    /**
     * Part of the journal: its id, and its entries from byte {@code from} (a line's start) to {@code to}, its end.
     *
     * @param journal the random id in the journal's first line, which names it in the database's record of how far
     *        it was settled
     */
    record Part(UUID journal, long from, long to, Map<UUID, Instant> entries) {
    }

    /**
     * The journal's entries from byte {@code offset} on, or from its start when no line starts there (a journal
     * shorter than that, or another one): as {@link #read()} does, from there.
     */
    synchronized Part readFrom(long offset) {
        try {
            var journal = readId();
            try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
                var size = channel.size();
                var from = startsALine(channel, offset, size) ? offset : 0;
                var bytes = ByteBuffer.allocate(Math.toIntExact(size - from));
                while (bytes.hasRemaining() && channel.read(bytes, from + bytes.position()) >= 0) {
                    // reads to the end known above; an append meanwhile is read at the next start
                }
                var entries = parse(bytes.array(), from);
                var to = from + bytes.position();
                if (to > from && bytes.array()[bytes.position() - 1] != '\n') {
                    try (var append = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                        append.write(ByteBuffer.wrap(new byte[] {'\n'}));
                        append.force(false);
                    }
                    to++;
                }
                return new Part(journal, from, to, entries);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the erasure journal " + file, e);
        }
    }

    /** Whether a line (not the header) starts at the offset: the offset is past the header and after a line's end. */
    private static boolean startsALine(FileChannel channel, long offset, long size) throws IOException {
        if (offset <= 0 || offset > size) {
            return false;
        }
        var before = ByteBuffer.allocate(1);
        channel.read(before, offset - 1);
        return before.get(0) == '\n';
    }

    private Map<UUID, Instant> parse(byte[] bytes, long from) {
        var keys = new LinkedHashMap<UUID, Instant>();
        var lines = new String(bytes, UTF_8).split("\n", -1);
        var skipped = 0;
        for (var i = 0; i < lines.length; i++) {
            if (lines[i].isEmpty() || lines[i].startsWith(HEADER)) {
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
                log.warn("Skipped line {} (counted from byte {}) of the erasure journal {}: not an entry "
                        + "(a write cut short by a crash?)", i + 1, from, file);
                skipped++;
            }
        }
        if (skipped > 0) {
            log.warn("The erasure journal {} had {} damaged lines; the other {} entries are read", file, skipped,
                    keys.size());
        }
        return keys;
    }

    /**
     * The journal's random id, from its first line; a journal made before it had one is given one now, in a copy
     * that replaces it, and a missing one is made.
     */
    synchronized UUID id() {
        try {
            return readId();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the erasure journal " + file, e);
        }
    }

    private UUID readId() throws IOException {
        createIfAbsent();
        var first = firstLine();
        if (first.isEmpty()) {
            // made, but its header never written (a crash): written now
            append(HEADER + UUID.randomUUID() + "\n");
            first = firstLine();
        } else if (!first.startsWith(HEADER)) {
            var copy = Files.createTempFile(file.getParent(), FILE, ".new", ownerOnly());
            try (var channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap((HEADER + UUID.randomUUID() + "\n").getBytes(UTF_8)));
                channel.write(ByteBuffer.wrap(Files.readAllBytes(file)));
                channel.force(false);
            }
            // an append to the old file meanwhile (another process) is lost to it, but its key is destroyed in the
            // database: the next start finds it there among those destroyed since it last looked, and appends it
            Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            first = firstLine();
        }
        return UUID.fromString(first.substring(HEADER.length()).strip());
    }

    private String firstLine() throws IOException {
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var bytes = ByteBuffer.allocate(HEADER.length() + 37);
            while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
                // up to the header's length
            }
            var text = new String(bytes.array(), 0, bytes.position(), UTF_8);
            var end = text.indexOf('\n');
            return end < 0 ? text : text.substring(0, end);
        }
    }

    private void createIfAbsent() throws IOException {
        if (Files.exists(file)) {
            return;
        }
        Files.createDirectories(file.getParent());
        try {
            Files.createFile(file, ownerOnly());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // created meanwhile by another process on the same directory, which writes the header
            return;
        }
        append(HEADER + UUID.randomUUID() + "\n");
    }

    private FileAttribute<?>[] ownerOnly() {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }
}
