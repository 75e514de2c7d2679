package org.lifeline.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Backups of the embedded database written by the running server, which alone can open it: every ten minutes it
 * looks at the newest backup in the directory, and when that is older than {@code lifeline.backup.every} (or there is
 * none) writes one, H2's script of the whole database in one snapshot, gzipped. Because the files say when the last
 * one was made, a node restarted more often than that still backs up. A backup is written under a {@code .partial}
 * name and renamed once whole; only the newest {@code lifeline.backup.keep} are kept. The files hold what the database
 * holds (ciphertext, keyed hashes, metadata), never the keys: {@code database restore} makes a database of one.
 * Nothing on PostgreSQL, nor on an H2 database another process serves.
 */
@Component
public class EmbeddedBackups extends PeriodicWork {

    static final String PREFIX = "lifeline-";
    static final String SUFFIX = ".sql.gz";
    private static final String PARTIAL = ".partial";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Duration CHECK = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBackups.class);

    private final DataSource dataSource;
    private final BackupSettings settings;
    private final Path directory;
    private final boolean embedded;
    private final Clock clock;
    private final Instant since;
    /** Why the last attempt failed, since the last success; null if it did not. */
    private volatile String failure;

    EmbeddedBackups(DataSource dataSource, BackupSettings settings, PlatformSettings platform, Environment environment,
                    Clock clock) {
        super("embedded-backups", platform);
        this.dataSource = dataSource;
        this.settings = settings;
        this.directory = settings.directory() != null ? settings.directory()
                : platform.dataDir().resolve("backups");
        this.embedded = Databases.embeddedInThisProcess(environment)
                && Databases.h2File(environment.getProperty("spring.datasource.url", "")).isPresent();
        this.clock = clock;
        this.since = clock.instant();
    }

    @Override
    protected Duration every() {
        return settings.every().isZero() || settings.every().compareTo(CHECK) > 0 ? CHECK : settings.every();
    }

    @Override
    protected void round() {
        try {
            backUpIfDue();
        } catch (IOException | SQLException e) {
            // said in backUpIfDue
        }
    }

    /**
     * Writes a backup when the newest is older than {@code every}; the file written, if any. A failure is logged and
     * shown to admins ({@link #status()}) until a backup succeeds.
     */
    public Optional<Path> backUpIfDue() throws IOException, SQLException {
        if (!embedded || settings.every().isZero()) {
            return Optional.empty();
        }
        try {
            DataDirectory.createPrivate(directory);
            var now = clock.instant();
            var newest = newest(backups(), now);
            if (newest.isPresent() && newest.get().plus(settings.every()).isAfter(now)) {
                return Optional.empty();
            }
            var file = write(now);
            prune(now);
            failure = null;
            return Optional.of(file);
        } catch (IOException | SQLException | java.io.UncheckedIOException e) {
            // no message: a path may name a person's machine, and H2's messages quote statements
            Throwable cause = e instanceof java.io.UncheckedIOException unchecked ? unchecked.getCause() : e;
            var kind = cause instanceof SQLException sql ? "H2 error " + sql.getErrorCode()
                    : cause instanceof java.nio.file.FileSystemException fs && fs.getReason() != null
                    ? cause.getClass().getSimpleName() + ": " + fs.getReason() : cause.getClass().getSimpleName();
            failure = kind;
            log.warn("Backing up the embedded database failed: {}", kind);
            throw e;
        }
    }

    /**
     * How the backups stand, for admins: none when there are none to make (PostgreSQL, or turned off).
     *
     * @return the newest backup's time (null if none), how many are kept and where, the last attempt's failure since
     *         the last success (null if none), and whether the newest is older than planned
     */
    public Optional<Status> status() {
        if (!embedded || settings.every().isZero()) {
            return Optional.empty();
        }
        List<Backup> all;
        try {
            all = Files.isDirectory(directory) ? backups() : List.of();
        } catch (IOException e) {
            all = List.of();
        }
        var newest = newest(all, clock.instant()).orElse(null);
        // a round looks every CHECK: two of them late is late
        var late = (newest != null ? newest.plus(settings.every()) : since).plus(CHECK.multipliedBy(2));
        return Optional.of(new Status(newest, all.size(), directory, failure,
                clock.instant().isAfter(late)));
    }

    /**
     * The newest backup's time, not counting any dated after {@code now}: written while the clock ran ahead, one would
     * otherwise put every backup off until its date.
     */
    private static Optional<Instant> newest(List<Backup> backups, Instant now) {
        return backups.stream().map(Backup::at).filter(at -> !at.isAfter(now)).max(Comparator.naturalOrder());
    }

    /** See {@link #status()}. */
    public record Status(Instant newest, int kept, Path directory, String failed, boolean overdue) {
    }

    private Path write(Instant now) throws IOException, SQLException {
        var file = directory.resolve(PREFIX + STAMP.format(now) + SUFFIX);
        var partial = file.resolveSibling(file.getFileName() + PARTIAL);
        // what attempts stopped midway left (a full disk fails every one): one partial file at most
        removePartials();
        var started = System.nanoTime();
        try (var connection = dataSource.getConnection()) {
            // one snapshot of every table: read committed would read each table as it is when reached, and a row
            // committed meanwhile could refer to one the script has already passed (the restore then fails)
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            try (var statement = connection.createStatement()) {
                statement.execute("script to '" + partial.toAbsolutePath().toString().replace("'", "''")
                        + "' compression gzip");
            } finally {
                connection.rollback();
            }
        }
        DataDirectory.restrict(partial);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        log.info("Backed up the embedded database to {} ({} bytes, {} ms)", file, Files.size(file),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return file;
    }

    /** Keeps the newest {@code keep}; any dated after {@code now} are left alone, and not counted. */
    private void prune(Instant now) throws IOException {
        var all = new ArrayList<>(backups().stream().filter(backup -> !backup.at().isAfter(now)).toList());
        all.sort(Comparator.comparing(Backup::at).reversed());
        for (var old : all.subList(Math.min(settings.keep(), all.size()), all.size())) {
            Files.deleteIfExists(old.file());
        }
    }

    private void removePartials() throws IOException {
        try (var partials = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX + PARTIAL)) {
            for (var partial : partials) {
                Files.deleteIfExists(partial);
            }
        }
    }

    private List<Backup> backups() throws IOException {
        var found = new ArrayList<Backup>();
        try (var files = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (var file : files) {
                var name = file.getFileName().toString();
                try {
                    var at = Instant.from(STAMP.parse(name.substring(PREFIX.length(), name.length() - SUFFIX.length())));
                    found.add(new Backup(file, at));
                } catch (DateTimeParseException e) {
                    // someone else's file: neither counted nor removed
                }
            }
        }
        return found;
    }

    private record Backup(Path file, Instant at) {
    }
}
