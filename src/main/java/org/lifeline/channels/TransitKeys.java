package org.lifeline.channels;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The data key of the current day for payloads in transit. One key a day keeps the number of keys small while
 * letting a whole day of raw updates be shredded at once when its retention ends.
 */
@Component
public class TransitKeys {

    private final JdbcClient jdbc;
    private final DataProtection protection;
    private final Clock clock;
    private final TransactionTemplate separately;
    private final ConcurrentMap<LocalDate, DataKeyId> known = new ConcurrentHashMap<>();

    TransitKeys(JdbcClient jdbc, DataProtection protection, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.protection = protection;
        this.clock = clock;
        // its own transaction: a lost race on the day's row must not abort the caller's transaction
        this.separately = new TransactionTemplate(transactions);
        this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public DataKeyId today() {
        var day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        var key = known.get(day);
        if (key == null) {
            key = lookupOrCreate(day);
            known.clear();
            known.put(day, key);
        }
        return key;
    }

    private DataKeyId lookupOrCreate(LocalDate day) {
        var existing = separately.execute(status -> find(day));
        if (existing != null) {
            return existing;
        }
        try {
            return separately.execute(status -> {
                var created = protection.newDataKey();
                jdbc.sql("insert into transit_key (valid_on, data_key_id) values (?, ?)").params(day, created.value()).update();
                return created;
            });
        } catch (DuplicateKeyException raced) {
            return separately.execute(status -> find(day));
        }
    }

    private DataKeyId find(LocalDate day) {
        return jdbc.sql("select data_key_id from transit_key where valid_on = ?").param(day)
                .query(UUID.class).optional().map(DataKeyId::new).orElse(null);
    }
}
