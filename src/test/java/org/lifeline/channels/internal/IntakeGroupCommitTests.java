package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Webhook intake commits the updates arriving at once together. Many requests at once, each update delivered by
 * several of them: every update is stored exactly once (one request is told "stored", the others "duplicate", even
 * when both are in the same batch), and an update is already committed, visible to any other connection, when its
 * request is told so.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class IntakeGroupCommitTests {

    static final int UPDATES = 200;
    static final int DELIVERIES = 4;

    @Autowired
    Intake intake;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    org.springframework.core.env.Environment environment;

    /** The updates stored: in inbound_update or, on H2, still in the intake journal. */
    org.lifeline.testing.StoredUpdates updates() {
        return new org.lifeline.testing.StoredUpdates(jdbc, environment);
    }

    @Test
    void concurrentDeliveriesAreStoredOnceAndCommittedBeforeTheyAreAcknowledged() throws Exception {
        // an endpoint no node serves: nothing processes these, and they are removed at the end
        var endpoint = "group_commit_" + UUID.randomUUID().toString().substring(0, 8);
        var deliveries = new ArrayList<Integer>();
        for (int d = 0; d < DELIVERIES; d++) {
            for (int u = 0; u < UPDATES; u++) {
                deliveries.add(u);
            }
        }
        Collections.shuffle(deliveries);
        var stored = new AtomicInteger();
        var duplicates = new AtomicInteger();
        var notVisible = new ConcurrentHashMap<Integer, Boolean>();
        try {
            try (var requests = Executors.newVirtualThreadPerTaskExecutor()) {
                for (var update : deliveries) {
                    requests.submit(() -> {
                        var outcome = intake.accept("telegram", endpoint, Integer.toString(update), "sender-" + update % 20,
                                "{\"update_id\":" + update + "}", 1_000_000);
                        switch (outcome) {
                            case STORED -> stored.incrementAndGet();
                            case DUPLICATE -> duplicates.incrementAndGet();
                            case DROPPED -> throw new AssertionError("dropped");
                        }
                        if (outcome == Intake.Outcome.STORED && updates().count("endpoint = ? and idempotency_key = ?", endpoint, Integer.toString(update)) != 1) {
                            notVisible.put(update, true);
                        }
                        return null;
                    });
                }
            }
            assertThat(notVisible).as("acknowledged but not yet committed").isEmpty();
            assertThat(stored.get()).isEqualTo(UPDATES);
            assertThat(duplicates.get()).isEqualTo(UPDATES * (DELIVERIES - 1));
            assertThat(updates().count("endpoint = ?", endpoint)).isEqualTo(UPDATES);
        } finally {
            // on H2 once none waits in the intake journal, to be moved after the delete
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(updates()::journalEmpty);
            jdbc.sql("delete from inbound_update where endpoint = ?").param(endpoint).update();
        }
    }

    @Test
    void aRedeliveryOrAFailedStoreSpendsNothingOfTheSendersAllowance() throws Exception {
        var endpoint = "allowance_" + UUID.randomUUID().toString().substring(0, 8);
        try {
            assertThat(intake.accept("telegram", endpoint, "1", "sender", "{\"update_id\":1}", 3))
                    .isEqualTo(Intake.Outcome.STORED);
            // the channel delivers it again and again, as Telegram does while its acknowledgements fail
            for (int i = 0; i < 5; i++) {
                assertThat(intake.accept("telegram", endpoint, "1", "sender", "{\"update_id\":1}", 3))
                        .isEqualTo(Intake.Outcome.DUPLICATE);
            }
            // stores that fail (a key longer than the column): answered with an error, delivered again later
            for (int i = 0; i < 5; i++) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> intake.accept("telegram", endpoint,
                        "k".repeat(200), "sender", "{\"update_id\":2}", 3))
                        .isInstanceOf(org.springframework.dao.DataAccessException.class);
            }
            assertThat(intake.accept("telegram", endpoint, "3", "sender", "{\"update_id\":3}", 3))
                    .isEqualTo(Intake.Outcome.STORED);
            assertThat(intake.accept("telegram", endpoint, "4", "sender", "{\"update_id\":4}", 3))
                    .isEqualTo(Intake.Outcome.STORED);
            // the allowance itself still holds: three new updates a minute
            assertThat(intake.accept("telegram", endpoint, "5", "sender", "{\"update_id\":5}", 3))
                    .isEqualTo(Intake.Outcome.DROPPED);
        } finally {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(updates()::journalEmpty);
            jdbc.sql("delete from inbound_update where endpoint = ?").param(endpoint).update();
        }
    }
}
