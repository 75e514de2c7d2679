package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.channels.TransitKeys;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A claim reads the window of the oldest pending updates; that read must cost about what it returns however many
 * processed updates lie before them, and whatever the database's statistics say. Two bad cases met in the
 * benchmarks on PostgreSQL: with statistics taken while a backlog waited (nearly every row pending), it read the
 * window through the primary key in id order, filtering on the state, so every claim went through the whole history
 * first (2 ms a claim at 12,000 rows); never analyzed, it read every update of the endpoint through the idempotency
 * key and sorted the pending ones (12 ms a claim at 56,000). Here 20,000 processed updates lie before 150 pending,
 * first with no statistics, then with statistics taken while all were pending; the window is read as the workers
 * read it (a prepared statement, under the generic plan the driver ends up with) and the pages it touches are
 * counted. The rows are of an endpoint no node serves, so no worker touches them.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(classes = org.lifeline.LifelineApplication.class)
class InboundClaimWindowIntegrationTests {

    static final int HISTORY = 20_000;
    static final int BACKLOG = 150;
    /**
     * A read through the history touches at least a page per processed update (27,974 measured for 20,000); a read of
     * the window touches the pending index's pages and the pages of what it returns (59 measured). Dead entries of
     * processed updates are marked as such only once no open transaction anywhere in the database can see them, so
     * with the run's other classes working beside it some are still stepped over (1,039 seen once): the bound leaves
     * room for that and none for a read of the history.
     */
    static final int FAR_LESS_THAN_THE_HISTORY = HISTORY / 4;

    @DynamicPropertySource
    static void ownSchema(DynamicPropertyRegistry registry) {
        // its ANALYZE and its history must not change the plans of the run's other tests
        if (DatabaseAvailability.onPostgres()) {
            var schema = System.getProperty("spring.flyway.schemas") + "_window";
            registry.add("spring.flyway.schemas", () -> schema);
            registry.add("spring.datasource.url", () -> System.getProperty("spring.datasource.url")
                    .replaceAll("currentSchema=[^&]*", "currentSchema=" + schema));
        }
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    TransitKeys transitKeys;

    @Test
    void theClaimWindowReadsAboutWhatItReturnsHoweverLongTheHistoryOfProcessedUpdates() {
        var endpoint = "window_" + System.nanoTime();
        var key = transitKeys.today().value();
        var now = OffsetDateTime.now(ZoneOffset.UTC);
        try {
            readWindow(endpoint, key, now);
        } finally {
            jdbc.sql("delete from inbound_update where endpoint = ?").param(endpoint).update();
        }
    }

    private void readWindow(String endpoint, UUID key, OffsetDateTime now) {
        // a history of processed updates, then a backlog, in a table never analyzed
        store(endpoint, key, 1, HISTORY, now);
        jdbc.sql("update inbound_update set state = 'PROCESSED', processed_at = ? where endpoint = ?")
                .params(now, endpoint).update();
        store(endpoint, key, HISTORY + 1, HISTORY + BACKLOG, now);
        assertThat(pagesRead()).as("pages a window read touched, no statistics, %d processed updates before %d pending",
                HISTORY, BACKLOG).isLessThan(FAR_LESS_THAN_THE_HISTORY);

        // statistics taken while every update was pending, then the history processed again
        if (DatabaseAvailability.onPostgres()) {
            jdbc.sql("update inbound_update set state = 'PENDING', processed_at = null where endpoint = ?").param(endpoint).update();
            jdbc.sql("analyze inbound_update").update();
            jdbc.sql("update inbound_update set state = 'PROCESSED', processed_at = ? where endpoint = ? and idempotency_key in (select concat('u', x) from generate_series(1, ?) as n (x))")
                    .params(now, endpoint, HISTORY).update();
            assertThat(pagesRead()).as("pages a window read touched, statistics from a backlog, %d processed updates before %d pending",
                    HISTORY, BACKLOG).isLessThan(FAR_LESS_THAN_THE_HISTORY);
        }
    }

    /** Pages (PostgreSQL) or rows (H2) a read of the window touches, read as the workers read it. */
    private long pagesRead() {
        var window = InboundUpdates.WINDOW;
        Object[] after = {0L};
        // the workers read it again and again; the first read after the history was processed may pay for it
        assertThat(jdbc.sql(window).params(after).query((rs, n) -> rs.getLong("id")).list())
                .hasSize(InboundUpdates.CLAIM_WINDOW);
        if (!DatabaseAvailability.onPostgres()) {
            var plan = String.join("\n", jdbc.sql("explain analyze " + window).params(after).query(String.class).list());
            var scanned = Pattern.compile("scanCount: (\\d+)").matcher(plan);
            assertThat(scanned.find()).as(plan).isTrue();
            return Long.parseLong(scanned.group(1));
        }
        return transaction.execute(status -> {
            var numbered = window;
            for (int i = 1; i <= after.length; i++) {
                numbered = numbered.replaceFirst("\\?", "\\$" + i);
            }
            // the plan the driver ends up with once the statement is prepared on the server
            jdbc.sql("set local plan_cache_mode = force_generic_plan").update();
            jdbc.sql("prepare claim_window(bigint) as " + numbered).update();
            // EXPLAIN takes no bind parameters; the values are this test's own
            var plan = jdbc.sql("explain (analyze, buffers, format json) execute claim_window(0)")
                    .query(String.class).single();
            jdbc.sql("deallocate claim_window").update();
            var top = JsonMapper.shared().readTree(plan).get(0).get("Plan");
            assertThat(top.get("Actual Rows").asLong()).isEqualTo(InboundUpdates.CLAIM_WINDOW);
            return top.get("Shared Hit Blocks").asLong() + top.get("Shared Read Blocks").asLong();
        });
    }

    private void store(String endpoint, UUID key, int from, int to, OffsetDateTime now) {
        var rows = DatabaseAvailability.onPostgres()
                ? "generate_series(?, ?) as n (x)"
                : "system_range(?, ?) as n (x)";
        jdbc.sql("""
                insert into inbound_update (channel, endpoint, idempotency_key, sender_ref, data_key_id, state, received_at)
                select 'telegram', ?, concat('u', x), cast(concat('s', mod(x, 500)) as bytea), ?, 'PENDING', ?
                from %s""".formatted(rows))
                .params(endpoint, key, now, from, to).update();
    }
}
