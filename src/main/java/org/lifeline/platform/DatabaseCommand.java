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
import java.util.concurrent.Callable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code database …}: the embedded database's files, when the server cannot open them. */
@Command(name = "database",
        mixinStandardHelpOptions = true,
        description = "The embedded database (H2), when the server cannot open it.",
        subcommands = DatabaseCommand.Recover.class)
public final class DatabaseCommand implements Runnable {

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
    static final class Recover implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the damaged file, moved aside")
        Path file;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "the data directory to recover into (default: lifeline.data-dir, LIFELINE_DATA_DIR, ./data)")
        Path dataDir;

        @Override
        public Integer call() throws IOException, SQLException {
            var err = spec.commandLine().getErr();
            var environment = new StandardEnvironment();
            ConfigurationPropertySources.attach(environment);
            var directory = dataDir != null ? dataDir : Binder.get(environment).bind("lifeline.data-dir", Path.class)
                    .orElse(Path.of("./data"));
            var url = environment.getProperty("spring.datasource.url",
                    Databases.embeddedH2(directory.toAbsolutePath().normalize()));
            var mainFile = Databases.h2File(url).orElse(null);
            if (mainFile == null) {
                err.println("error: the database is not an embedded (H2) one; recover PostgreSQL from its backups");
                return 1;
            }
            var name = file.getFileName().toString();
            if (!Files.isRegularFile(file) || !name.endsWith(".mv.db")) {
                err.println("error: " + file + " is not an H2 database file (<name>.mv.db)");
                return 1;
            }
            var database = name.substring(0, name.length() - ".mv.db".length());
            var mainName = mainFile.getFileName().toString().replaceFirst("\\.mv\\.db$", "");
            var target = database.equals(mainName) ? url
                    : database.equals(mainName + "-intake") ? Databases.h2Beside(url, "intake").orElseThrow() : null;
            if (target == null) {
                err.println("error: " + name + " is neither the database's file (" + mainName + ".mv.db) nor its"
                        + " intake journal's (" + mainName + "-intake.mv.db)");
                return 1;
            }
            var into = Databases.h2File(target).orElseThrow();
            if (Files.exists(into)) {
                err.println("error: " + into + " exists: move it aside first (recovering into it would mix two databases)");
                return 1;
            }
            if (into.getParent().getParent() != null) {
                DataDirectory.createPrivate(into.getParent().getParent());
            }
            DataDirectory.createPrivate(into.getParent());
            // the script holds all the file held: owner-only, beside the database, removed afterwards
            var work = into.getParent().resolve("recovery-" + java.util.UUID.randomUUID());
            DataDirectory.createPrivate(work);
            try {
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
                    return 1;
                }
                var script = work.resolve(database + ".h2.sql");
                var mended = work.resolve(database + ".mended.sql");
                if (!Files.exists(script) || RecoveredScript.mend(script, mended) == 0) {
                    // an empty database here would be taken for a new one, and the server would start on it
                    err.println("error: H2's recovery tool read no table from " + file + "; nothing was made;"
                            + " restore the last backup");
                    return 1;
                }
                try (var connection = DriverManager.getConnection(target,
                        environment.getProperty("spring.datasource.username", "sa"),
                        environment.getProperty("spring.datasource.password", ""));
                        var reader = Files.newBufferedReader(mended, StandardCharsets.UTF_8)) {
                    org.h2.tools.RunScript.execute(connection, reader);
                    report(connection, into);
                }
                DataDirectory.restrict(into);
            } finally {
                try (var paths = Files.walk(work)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            return 0;
        }

        /** What the new database holds, table by table, to compare with the last backup. */
        private void report(java.sql.Connection connection, Path into) throws SQLException {
            var out = spec.commandLine().getOut();
            out.println("Recovered into " + into + ":");
            var tables = new java.util.ArrayList<String>();
            try (var statement = connection.createStatement(); var rows = statement.executeQuery(
                    "select table_name from information_schema.tables where table_schema = 'public'"
                            + " and table_type = 'BASE TABLE' order by table_name")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (var table : tables) {
                try (var statement = connection.createStatement();
                        var rows = statement.executeQuery("select count(*) from \"" + table.replace("\"", "\"\"") + "\"")) {
                    rows.next();
                    out.printf("  %-28s %d rows%n", table, rows.getLong(1));
                }
            }
        }
    }
}
