package org.lifeline.platform;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The running server's backups of the embedded database ({@link EmbeddedBackups}); on PostgreSQL, {@code pg_dump}.
 *
 * @param every the age of the newest backup at which the next is written; {@code 0} for none
 * @param keep how many backups are kept, the newest
 * @param directory where they go ({@code <data-dir>/backups} when unset)
 */
@ConfigurationProperties("lifeline.backup")
public record BackupSettings(@DefaultValue("1d") Duration every, @DefaultValue("7") int keep, Path directory) {

    public BackupSettings {
        if (every.isNegative()) {
            throw new IllegalArgumentException("lifeline.backup.every cannot be negative");
        }
        if (keep < 1) {
            throw new IllegalArgumentException("lifeline.backup.keep must be at least 1");
        }
    }
}
