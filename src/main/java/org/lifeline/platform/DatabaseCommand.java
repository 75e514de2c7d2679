package org.lifeline.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code database …}: the embedded database's files, when the server cannot open them, and its backups. */
@Command(name = "database",
        mixinStandardHelpOptions = true,
        description = "The embedded database (H2): recovering a damaged file, restoring a backup, giving back disk space.",
        subcommands = {DatabaseCommand.Recover.class, DatabaseCommand.Restore.class, DatabaseCommand.Compact.class})
public final class DatabaseCommand implements Runnable {

    private static final String WORK_PREFIX = "recovery-";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "recover",
            mixinStandardHelpOptions = true,
            description = {
                    "Makes a new embedded database, or intake journal, of what H2 can still read from a damaged file"
                            + " moved out of <data-dir>/db (lifeline.mv.db or lifeline-intake.mv.db), and prints how"
                            + " many rows each table got back. Run it with the server stopped. It refuses when the"
                            + " file's place in <data-dir>/db is taken: move the damaged file aside first.",
                    "What H2 could not read is gone: compare with the last backup."
            })
    static final class Recover extends IntoPlace {

        @Parameters(paramLabel = "FILE", description = "the damaged file, moved aside")
        Path file;

        @Override
        public Integer call() throws IOException {
            var err = spec.commandLine().getErr();
            var place = place("recover PostgreSQL from its backups");
            if (place == null) {
                return 1;
            }
            var name = file.getFileName().toString();
            if (!Files.isRegularFile(file) || !name.endsWith(".mv.db")) {
                err.println("error: " + file + " is not an H2 database file (<name>.mv.db)");
                return 1;
            }
            var database = name.substring(0, name.length() - ".mv.db".length());
            var mainName = Databases.h2File(place.url()).orElseThrow().getFileName().toString()
                    .replaceFirst("\\.mv\\.db$", "");
            var target = database.equals(mainName) ? place.url()
                    : database.equals(mainName + "-intake") ? Databases.h2Beside(place.url(), "intake").orElseThrow()
                    : null;
            if (target == null) {
                err.println("error: " + name + " is neither the database's file (" + mainName + ".mv.db) nor its"
                        + " intake journal's (" + mainName + "-intake.mv.db)");
                return 1;
            }
            return build(place, target, "recovering", work -> {
                Files.copy(file, work.resolve(name));
                var recover = new org.h2.tools.Recover();
                // it names the files it writes: nothing for whoever runs this
                recover.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
                try {
                    recover.runTool("-dir", work.toString(), "-db", database);
                } catch (SQLException | RuntimeException e) {
                    // H2's words on the file (offsets, chunks): no data of the file's in them
                    err.println("error: H2's recovery tool could not read " + file + " (" + e.getMessage()
                            + "); restore the last backup");
                    return null;
                }
                var script = work.resolve(database + ".h2.sql");
                var mended = work.resolve(database + ".mended.sql");
                if (!Files.exists(script) || RecoveredScript.mend(script, mended) == 0) {
                    // an empty database here would be taken for a new one, and the server would start on it
                    err.println("error: H2's recovery tool read no table from " + file + "; nothing was made;"
                            + " restore the last backup");
                    return null;
                }
                return new Script(mended, "", "the script H2's recovery tool wrote from " + file);
            });
        }
    }

    @Command(name = "restore",
            mixinStandardHelpOptions = true,
            description = {
                    "Makes the embedded database of a backup the server wrote (<data-dir>/backups/lifeline-*.sql.gz,"
                            + " see lifeline.backup.*) or of H2's SCRIPT, and prints how many rows each table holds."
                            + " Run it with the server stopped. It refuses while <data-dir>/db/lifeline.mv.db exists:"
                            + " move it aside first.",
                    "The database's keys are not in a backup: put the same <data-dir>/keys in place (or"
                            + " LIFELINE_CRYPTO_*), or Lifeline refuses to start on it.",
                    "With the keys in place, it then starts Lifeline on the database to erase again those erased"
                            + " after the backup (by the erasure journal, <data-dir>/keys/erasures.log), and says how"
                            + " many; without them, Lifeline does so when it first starts on it.",
                    "Restore only a backup you made: H2 runs the script as it stands, and a script can carry code."
            })
    static final class Restore extends IntoPlace {

        private final CommandContext context;

        @Parameters(paramLabel = "FILE", description = "the backup (*.sql.gz, or an uncompressed *.sql)")
        Path file;

        Restore(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws IOException {
            var err = spec.commandLine().getErr();
            var place = place("restore PostgreSQL with pg_restore");
            if (place == null) {
                return 1;
            }
            if (!Files.isRegularFile(file)) {
                err.println("error: " + file + " is not a file");
                return 1;
            }
            var gzipped = file.getFileName().toString().endsWith(".gz");
            var built = build(place, place.url(), "restoring", work -> new Script(file.toAbsolutePath(),
                    gzipped ? " compression gzip" : "", file.toString()));
            if (built != 0) {
                return built;
            }
            var out = spec.commandLine().getOut();
            if (!place.keysInPlace()) {
                // a start would generate new keysets in their place, which cannot read the database
                out.println("The keys are not in " + place.dataDir().resolve("keys") + ": once they are, Lifeline"
                        + " erases again, as it starts, those erased after this backup.");
                return 0;
            }
            // the start erases again what the erasure journal holds and the backup brought back
            context.bean(RestoredDatabaseReport.class, "--lifeline.data-dir=" + place.dataDir())
                    .lines().forEach(out::println);
            return 0;
        }
    }

    @Command(name = "compact",
            mixinStandardHelpOptions = true,
            description = {
                    "Shrinks the embedded database's files (<data-dir>/db/lifeline.mv.db and its intake journal,"
                            + " lifeline-intake.mv.db) to what they hold, and prints each one's size before and after."
                            + " Each commit writes a new part of the file, and H2 reuses the space of old parts only"
                            + " after 45 seconds: under a flood the files grow by tens of kilobytes a commit, and keep"
                            + " that size afterwards. Run it with the server stopped.",
                    "H2 writes each compacted file beside the old one and renames it over it: a compaction that is"
                            + " stopped leaves the old file as it was."
            })
    static final class Compact extends IntoPlace {

        @Override
        public Integer call() throws IOException {
            var err = spec.commandLine().getErr();
            var out = spec.commandLine().getOut();
            var place = place("PostgreSQL gives space back through its vacuum");
            if (place == null) {
                return 1;
            }
            var urls = new java.util.ArrayList<String>();
            urls.add(place.url());
            Databases.h2Beside(place.url(), "intake").ifPresent(urls::add);
            var compacted = 0;
            for (var url : urls) {
                var file = Databases.h2File(url).orElseThrow();
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                var before = Files.size(file);
                try (var connection = place.connect(url + ";IFEXISTS=TRUE");
                        var statement = connection.createStatement()) {
                    statement.execute("shutdown compact");
                } catch (SQLException e) {
                    err.println("error: " + file + (Databases.inUseElsewhere(e)
                            ? " is in use by another process: stop Lifeline first"
                            : " could not be compacted (H2 error " + e.getErrorCode() + ")"));
                    return 1;
                }
                // H2 made the compacted file anew, with the process's umask
                DataDirectory.restrict(file);
                out.printf("%s: %,d bytes, now %,d%n", file, before, Files.size(file));
                compacted++;
            }
            if (compacted == 0) {
                err.println("error: no embedded database in " + Databases.h2File(place.url()).orElseThrow().getParent());
                return 1;
            }
            return 0;
        }
    }

    /** Where the embedded database lives, as the configuration says. */
    private record Place(String url, Path dataDir, StandardEnvironment environment) {

        /** None when the database is not an H2 file database. */
        static Place of(Path dataDir) {
            var environment = new StandardEnvironment();
            ConfigurationPropertySources.attach(environment);
            var directory = dataDir != null ? dataDir : Binder.get(environment).bind("lifeline.data-dir", Path.class)
                    .orElse(Path.of("./data"));
            var url = environment.getProperty("spring.datasource.url",
                    Databases.embeddedH2(directory.toAbsolutePath().normalize()));
            return Databases.h2File(url).isPresent()
                    ? new Place(url, directory.toAbsolutePath().normalize(), environment) : null;
        }

        /** Whether the keysets are there: generated ones in the data directory, or from configuration. */
        boolean keysInPlace() {
            return Files.exists(dataDir.resolve("keys").resolve("master-keyset.json"))
                    || !environment.getProperty("lifeline.crypto.master-keyset", "").isBlank();
        }

        /** A connection to {@code url} (this database, its journal, or one being made) as the server's user. */
        java.sql.Connection connect(String url) throws SQLException {
            return DriverManager.getConnection(url, environment.getProperty("spring.datasource.username", "sa"),
                    environment.getProperty("spring.datasource.password", ""));
        }
    }

    /** A script to run into the new database ({@code compression} is RUNSCRIPT's clause, if any). */
    private record Script(Path file, String compression, String from) {
    }

    @FunctionalInterface
    private interface ScriptMaker {

        /** The script, or null after saying why there is none. */
        Script make(Path work) throws IOException;
    }

    /**
     * A command that makes a new database in a database's place, from a script: it builds it in an owner-only work
     * directory beside that place and puts it there only once whole, so that one that fails halfway (or is stopped)
     * leaves nothing the server would start on; the work directory holds what the database holds, and is removed.
     */
    abstract static class IntoPlace implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "the data directory whose database to make (default: lifeline.data-dir,"
                        + " LIFELINE_DATA_DIR, ./data)")
        Path dataDir;

        /** Where the database lives; none, after saying so, when it is not an embedded one. */
        Place place(String onPostgres) {
            var place = Place.of(dataDir);
            if (place == null) {
                spec.commandLine().getErr().println("error: the database is not an embedded (H2) one; " + onPostgres);
            }
            return place;
        }

        int build(Place place, String target, String doing, ScriptMaker maker) throws IOException {
            var err = spec.commandLine().getErr();
            var into = Databases.h2File(target).orElseThrow();
            if (Files.exists(into)) {
                err.println("error: " + into + " exists: move it aside first (" + doing
                        + " into it would mix two databases)");
                return 1;
            }
            if (into.getParent().getParent() != null) {
                DataDirectory.createPrivate(into.getParent().getParent());
            }
            DataDirectory.createPrivate(into.getParent());
            removeLeftovers(into.getParent(), err);
            var work = into.getParent().resolve(WORK_PREFIX + java.util.UUID.randomUUID());
            DataDirectory.createPrivate(work);
            try {
                var script = maker.make(work);
                if (script == null) {
                    return 1;
                }
                var settings = target.indexOf(';') < 0 ? "" : target.substring(target.indexOf(';'));
                var staged = work.resolve("staged");
                List<String> report;
                try (var connection = place.connect("jdbc:h2:file:" + staged + settings);
                        var statement = connection.createStatement()) {
                    statement.execute("runscript from '" + script.file().toString().replace("'", "''") + "'"
                            + script.compression());
                    report = report(connection);
                } catch (SQLException e) {
                    // the code only: H2's message quotes the failing statement, which holds the database's data
                    err.println("error: " + script.from() + " failed to run (H2 error " + e.getErrorCode()
                            + "); nothing was made");
                    return 1;
                }
                if (report.isEmpty()) {
                    // an empty database here would be taken for a new one, and the server would start on it
                    err.println("error: " + script.from() + " made no table; nothing was made");
                    return 1;
                }
                var made = work.resolve("staged.mv.db");
                DataDirectory.restrict(made);
                try {
                    // a link fails if the name is taken meanwhile, where a rename would replace what took it
                    Files.createLink(into, made);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    err.println("error: " + into + " appeared while " + doing + "; nothing was put in its place");
                    return 1;
                }
                var out = spec.commandLine().getOut();
                out.println((doing.equals("recovering") ? "Recovered" : "Restored") + " into " + into + ":");
                report.forEach(out::println);
                return 0;
            } finally {
                delete(work);
            }
        }

        /** The work directories of runs that were stopped before removing theirs: each holds a database's data. */
        private static void removeLeftovers(Path db, java.io.PrintWriter err) throws IOException {
            try (var entries = Files.newDirectoryStream(db, WORK_PREFIX + "*")) {
                for (var leftover : entries) {
                    delete(leftover);
                    err.println("removed " + leftover + ", left by a recovery or restore that was stopped");
                }
            }
        }

        private static void delete(Path directory) throws IOException {
            try (var paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }

        /** What the new database holds, table by table, to compare with the last backup. */
        private static List<String> report(java.sql.Connection connection) throws SQLException {
            var tables = new java.util.ArrayList<String>();
            try (var statement = connection.createStatement(); var rows = statement.executeQuery(
                    "select table_name from information_schema.tables where table_schema = 'public'"
                            + " and table_type = 'BASE TABLE' order by table_name")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            var lines = new java.util.ArrayList<String>();
            for (var table : tables) {
                try (var statement = connection.createStatement();
                        var rows = statement.executeQuery("select count(*) from \"" + table.replace("\"", "\"\"") + "\"")) {
                    rows.next();
                    lines.add(String.format("  %-28s %d rows", table, rows.getLong(1)));
                }
            }
            return lines;
        }
    }
}
