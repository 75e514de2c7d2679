package org.lifeline.channels.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import org.lifeline.platform.SqlTimestamps;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.lifeline.privacy.RetainedData;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What the channels keep for a while: raw inbound updates, flood drops, sent outbox rows and the day keys. */
@Configuration(proxyBeanMethods = false)
class ChannelRetention {

    /** Handled updates: while its row is kept, an update delivered again is recognised as a duplicate. */
    static final String INBOUND_UPDATES = "inbound-updates";
    /** Updates dropped by the flood limit, recognised as duplicates the same way. */
    static final String FLOOD_DROPS = "flood-drops";

    @Bean
    RetainedData inboundUpdateRetention(JdbcClient jdbc) {
        return new Rows(INBOUND_UPDATES, "raw inbound updates once handled (processed, given up or discarded)", 7,
                jdbc, "inbound_update", "state in ('PROCESSED', 'FAILED', 'DISCARDED') and received_at < ?", "channel");
    }

    @Bean
    RetainedData floodDropRetention(JdbcClient jdbc) {
        return new Rows(FLOOD_DROPS, "updates dropped by the per-sender flood limit, counted per channel", 7,
                jdbc, "inbound_update", "state = 'DROPPED' and received_at < ?", "channel");
    }

    @Bean
    RetainedData outboxRetention(JdbcClient jdbc) {
        return new Rows("sent-outbox", "outbox rows sent or failed (their bodies are erased when sent)", 7,
                jdbc, "outbox_message", "state in ('SENT', 'FAILED') and created_at < ?", "channel");
    }

    @Bean
    RetainedData transitKeyRetention(JdbcClient jdbc, DataProtection protection) {
        return new TransitKeyRetention(jdbc, protection);
    }

    /** Rows of one table, counted per channel before they go. */
    private record Rows(String kind, String description, int days, JdbcClient jdbc, String table, String where,
            String subject) implements RetainedData {

        @Override
        public Duration defaultPeriod() {
            return Duration.ofDays(days);
        }

        @Override
        public long purge(Instant cutoff, boolean dryRun, Tally tally) {
            var at = SqlTimestamps.of(cutoff);
            var month = LocalDate.ofInstant(cutoff, ZoneOffset.UTC);
            var counts = jdbc.sql("select " + subject + ", count(*) from " + table + " where " + where + " group by "
                            + subject)
                    .param(at)
                    .query((rs, n) -> new Object[] {rs.getString(1), rs.getLong(2)})
                    .list();
            var total = counts.stream().mapToLong(row -> (Long) row[1]).sum();
            if (!dryRun) {
                jdbc.sql("delete from " + table + " where " + where).param(at).update();
                counts.forEach(row -> tally.add((String) row[0], month, (Long) row[1]));
            }
            return total;
        }
    }

    /**
     * The day keys of payloads in transit. Destroying a day's key shreds whatever of that day is still encrypted
     * under it (failed or dropped raw updates, the web chat's question kinds); a day with work still pending waits.
     */
    private record TransitKeyRetention(JdbcClient jdbc, DataProtection protection) implements RetainedData {

        @Override
        public String kind() {
            return "transit-keys";
        }

        @Override
        public String description() {
            return "day keys of payloads in transit, with what is still encrypted under them";
        }

        @Override
        public Duration defaultPeriod() {
            return Duration.ofDays(14);
        }

        @Override
        public long purge(Instant cutoff, boolean dryRun, Tally tally) {
            var due = jdbc.sql("""
                            select t.valid_on, t.data_key_id from transit_key t
                            where t.valid_on < ?
                              and not exists (select 1 from inbound_update u
                                              where u.data_key_id = t.data_key_id and u.state = 'PENDING')
                              and not exists (select 1 from outbox_message o
                                              where o.data_key_id = t.data_key_id and o.state in ('PENDING', 'SENDING'))""")
                    .param(LocalDate.ofInstant(cutoff, ZoneOffset.UTC))
                    .query((rs, n) -> rs.getObject("data_key_id", UUID.class))
                    .list();
            if (!dryRun) {
                for (var key : due) {
                    jdbc.sql("delete from webchat_delivery where data_key_id = ?").param(key).update();
                    jdbc.sql("update inbound_update set payload_enc = null where data_key_id = ?").param(key).update();
                    jdbc.sql("update outbox_message set content_enc = null, recipient_enc = null where data_key_id = ?")
                            .param(key).update();
                    jdbc.sql("delete from transit_key where data_key_id = ?").param(key).update();
                    protection.destroy(new DataKeyId(key));
                }
                tally.add("day-keys", LocalDate.ofInstant(cutoff, ZoneOffset.UTC), due.size());
            }
            return due.size();
        }
    }
}
