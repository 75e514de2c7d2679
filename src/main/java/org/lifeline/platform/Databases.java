package org.lifeline.platform;

import java.nio.file.Path;
import java.util.Optional;

import org.springframework.core.env.PropertyResolver;

/** Which database this node runs on, as its configuration says (known before any connection is made). */
public final class Databases {

    private Databases() {
    }

    /** Whether it is H2 (the embedded default, or one configured by URL). */
    public static boolean onH2(PropertyResolver environment) {
        return environment.getProperty("spring.datasource.url", "").startsWith("jdbc:h2:");
    }

    /** The embedded default database's URL in a data directory: H2, in {@code <data-dir>/db/lifeline}. */
    public static String embeddedH2(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("lifeline") + ProductionDatabaseGuard.H2_OPTIONS;
    }

    /**
     * Whether the database is H2 embedded in this process, which no other process can open while it runs (a file
     * database is locked to the process that opened it; an in-memory one lives in it): not served over TCP, nor
     * shared through {@code AUTO_SERVER}.
     */
    public static boolean embeddedInThisProcess(PropertyResolver environment) {
        var url = environment.getProperty("spring.datasource.url", "");
        if (!url.startsWith("jdbc:h2:") || url.toUpperCase(java.util.Locale.ROOT).contains(";AUTO_SERVER=TRUE")) {
            return false;
        }
        var name = url.substring("jdbc:h2:".length());
        return !(name.startsWith("tcp:") || name.startsWith("ssl:"));
    }

    /**
     * Whether {@code failure} says that an H2 database is held by another process (H2 lets one process open a file
     * database), anywhere in its causes.
     */
    public static boolean inUseElsewhere(Throwable failure) {
        return h2Error(failure, java.util.Set.of(org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1)) != null;
    }

    /** The first of {@code failure}'s causes (itself included) that is an SQL error with one of {@code codes}. */
    static java.sql.SQLException h2Error(Throwable failure, java.util.Collection<Integer> codes) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && codes.contains(sql.getErrorCode())) {
                return sql;
            }
        }
        return null;
    }

    /** The file of an H2 file database ({@code jdbc:h2:file:/data/db/lifeline;…} is {@code /data/db/lifeline.mv.db}). */
    public static Optional<Path> h2File(String url) {
        if (!url.startsWith("jdbc:h2:file:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(url.substring("jdbc:h2:file:".length()).split(";", 2)[0] + ".mv.db"));
    }

    /**
     * The URL of a second H2 database beside the one at {@code url}: its name with {@code -suffix} after it, the same
     * settings ({@code jdbc:h2:file:/data/db/lifeline;MODE=…} gives {@code jdbc:h2:file:/data/db/lifeline-intake;MODE=…}).
     * None when {@code url} is not H2's, or names no database (an unnamed in-memory one is private to each
     * connection).
     */
    public static Optional<String> h2Beside(String url, String suffix) {
        if (!url.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        var end = url.indexOf(';');
        var name = end < 0 ? url : url.substring(0, end);
        if (name.endsWith(":") || name.endsWith("/")) {
            return Optional.empty();
        }
        return Optional.of(name + "-" + suffix + (end < 0 ? "" : url.substring(end)));
    }
}
