package org.lifeline.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.support.TransactionTemplate;

/** Signals through the database: heard once committed, never when rolled back (NOTIFY on PostgreSQL). */
@SpringBootTest
@PersistenceTest
class ClusterSignalsIntegrationTests {

    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Autowired
    ClusterSignals signals;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void aSignalIsHeardAfterItsTransactionCommitsAndNeverAfterARollback() {
        var channel = uniqueChannel();
        var heard = new AtomicInteger();
        signals.subscribe(channel, heard::incrementAndGet);
        // a node's listener takes up a new channel within a second: signal until it is heard once
        await().atMost(DEADLINE).until(() -> {
            transaction.executeWithoutResult(status -> signals.signal(channel));
            return heard.get() > 0;
        });
        // and until signals still on their way have arrived: the count holds between two looks
        var seen = new AtomicInteger(-1);
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(300)).until(() -> seen.getAndSet(heard.get()) == heard.get());

        var before = heard.get();
        transaction.executeWithoutResult(status -> {
            signals.signal(channel);
            assertThat(heard).as("not before the commit").hasValue(before);
        });
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(heard).hasValue(before + 1));

        transaction.executeWithoutResult(status -> {
            signals.signal(channel);
            status.setRollbackOnly();
        });
        // delivered in commit order: a rolled-back signal, were it sent, would arrive before this one
        transaction.executeWithoutResult(status -> signals.signal(channel));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(heard.get()).isGreaterThanOrEqualTo(before + 2));
        assertThat(heard).as("the rolled-back signal was never heard").hasValue(before + 2);
    }

    @Test
    void aTransactionSendsEachChannelsSignalOnceHoweverOftenItAsks() {
        var channel = uniqueChannel();
        var other = uniqueChannel();
        var heard = new AtomicInteger();
        var heardOther = new AtomicInteger();
        signals.subscribe(channel, heard::incrementAndGet);
        signals.subscribe(other, heardOther::incrementAndGet);
        await().atMost(DEADLINE).until(() -> {
            transaction.executeWithoutResult(status -> {
                signals.signal(channel);
                signals.signal(other);
            });
            return heard.get() > 0 && heardOther.get() > 0;
        });
        var seen = new AtomicInteger(-1);
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(300)).until(() -> seen.getAndSet(heard.get()) == heard.get());

        var before = heard.get();
        var beforeOther = heardOther.get();
        transaction.executeWithoutResult(status -> {
            for (int i = 0; i < 5; i++) {
                signals.signal(channel);
            }
            signals.signal(other);
        });
        // delivered in commit order: a second signal of the first transaction would arrive before this one
        transaction.executeWithoutResult(status -> signals.signal(channel));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(heard.get()).isGreaterThanOrEqualTo(before + 2));
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(heardOther.get()).isGreaterThanOrEqualTo(beforeOther + 1));
        assertThat(heard).as("five signals in one transaction, one in the next").hasValue(before + 2);
        assertThat(heardOther).as("the other channel's, in the same transaction").hasValue(beforeOther + 1);
    }

    @Test
    void aFailingSubscriberKeepsNoOtherFromHearingThisSignalOrTheNext() {
        var channel = uniqueChannel();
        var failed = new AtomicInteger();
        var heard = new AtomicInteger();
        signals.subscribe(channel, () -> {
            failed.incrementAndGet();
            throw new IllegalStateException("a subscriber's own failure");
        });
        signals.subscribe(channel, heard::incrementAndGet);
        await().atMost(DEADLINE).until(() -> {
            transaction.executeWithoutResult(status -> signals.signal(channel));
            return heard.get() > 0;
        });
        // on PostgreSQL the listening thread delivered that one: were it dead, these would never be heard
        var before = heard.get();
        for (int i = 0; i < 3; i++) {
            transaction.executeWithoutResult(status -> signals.signal(channel));
        }
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(heard.get()).isGreaterThanOrEqualTo(before + 3));
        assertThat(failed.get()).as("the failing subscriber heard them too").isGreaterThanOrEqualTo(heard.get());
    }

    /** Unique per run: on PostgreSQL a channel is the whole database's. */
    private static String uniqueChannel() {
        return "test_" + ThreadLocalRandom.current().ints(12, 'a', 'z' + 1)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append);
    }
}
