package org.lifeline.platform;

import java.util.Map;

import org.h2.api.ErrorCode;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * Turns an embedded (H2) database that cannot be opened at start-up into a plain explanation instead of the pool's
 * and Flyway's stack trace: one in use by another process (a second Lifeline on the same data directory, or a tool
 * that has it open), or one H2 cannot read (a file torn by a power cut, overwritten, or written by another H2). Only
 * for the database itself, which H2's error names: the intake journal beside it has its own
 * ({@code channels.internal.IntakeJournalFailureAnalyzer}).
 */
class EmbeddedDatabaseFailureAnalyzer implements FailureAnalyzer {

    /** H2's error codes for a file it cannot read, and what each means. */
    static final Map<Integer, String> UNREADABLE = Map.of(
            ErrorCode.FILE_CORRUPTED_1, "the file is corrupted",
            ErrorCode.FILE_VERSION_ERROR_1, "the file was written by another version",
            ErrorCode.FILE_ENCRYPTION_ERROR_1, "the file is encrypted",
            ErrorCode.IO_EXCEPTION_1, "the file cannot be read from the disk");

    private final Environment environment;

    EmbeddedDatabaseFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        var file = Databases.h2File(environment.getProperty("spring.datasource.url", "")).orElse(null);
        if (file == null) {
            return null;
        }
        var codes = new java.util.HashSet<>(UNREADABLE.keySet());
        codes.add(ErrorCode.DATABASE_ALREADY_OPEN_1);
        var error = Databases.h2Error(failure, codes);
        // H2 names the file it could not open: this database's, not the journal's beside it
        if (error == null || error.getMessage() == null || !error.getMessage().contains(file.getFileName() + "\"")) {
            return null;
        }
        if (error.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
            return new FailureAnalysis("The embedded database " + file + " is in use by another process: another"
                    + " Lifeline on the same data directory, or a tool that has it open.",
                    "Stop that process, or give this node a data directory of its own (LIFELINE_DATA_DIR). The"
                            + " embedded database serves one node; several run on PostgreSQL (README, 'Running on"
                            + " PostgreSQL').",
                    failure);
        }
        return new FailureAnalysis("The embedded database " + file + " cannot be opened: "
                + UNREADABLE.get(error.getErrorCode()) + " (H2 error " + error.getErrorCode() + ").",
                "Keep the file, and move it aside. Then restore the last backup ('java -jar lifeline.jar database"
                        + " restore <data-dir>/backups/lifeline-….sql.gz'), or recover what H2 can still read from it"
                        + " ('java -jar lifeline.jar database recover <the moved file>'; README, 'Backups',"
                        + " 'If the embedded database cannot be opened').",
                failure);
    }
}
