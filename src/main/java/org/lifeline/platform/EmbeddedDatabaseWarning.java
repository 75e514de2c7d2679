package org.lifeline.platform;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says at start-up, once, when the server runs on the embedded database. */
@Component
class EmbeddedDatabaseWarning {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseWarning.class);

    private final DataSource dataSource;

    EmbeddedDatabaseWarning(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @EventListener(ApplicationReadyEvent.class)
    void on() throws java.sql.SQLException {
        try (var connection = dataSource.getConnection()) {
            if ("H2".equals(connection.getMetaData().getDatabaseProductName())) {
                log.warn("Running on the embedded H2 database: fine for trying Lifeline on one machine, not for production. "
                        + "Use the postgres profile (see README, 'Running on PostgreSQL').");
            }
        }
    }
}
