package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.channels.InboundEvent;
import org.lifeline.channels.InboundEventHandler;
import org.lifeline.telegram.PrivateChatUpdates;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A backlog is processed several updates a transaction, each sender's in order, and one update that fails loses
 * none of the others in its batch. The conversation driver here records what it was given, by transaction, once
 * that transaction has committed, and fails on the text {@value #POISON}.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(classes = {org.lifeline.LifelineApplication.class, InboundBatchIntegrationTests.Recording.class})
class InboundBatchIntegrationTests {

    static final String BOT = "lifeline_batch_bot";
    static final String POISON = "poison";
    static final int BATCH = 8;

    /**
     * What the driver was given and saw committed: when it was given it (a sender's next update is given only once
     * his previous one has committed, so this orders each sender's), the transaction and the text.
     */
    static final List<Handled> COMMITTED = new CopyOnWriteArrayList<>();
    static final AtomicLong GIVEN = new AtomicLong();

    record Handled(long given, String transaction, String text) {
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("lifeline.telegram.bots[0].username", () -> BOT);
        registry.add("lifeline.telegram.bots[0].token", () -> "123456:batch-test-token");
        registry.add("lifeline.telegram.bots[0].webhook-secret", () -> "batch-test-secret-0123456789");
        registry.add("lifeline.channels.inbound-batch", () -> BATCH);
        // a batch never runs out of time here: how many it takes must not depend on the machine's load
        registry.add("lifeline.channels.inbound-batch-time", () -> "1m");
        // the failing update's attempts a few milliseconds apart, not the seconds a service spaces them by
        registry.add("lifeline.channels.inbound-retry-after", () -> "10ms");
    }

    @TestConfiguration
    static class Recording {
        @Bean
        @Primary
        InboundEventHandler recording() {
            return event -> {
                var text = event instanceof InboundEvent.TextReceived received ? received.text() : "";
                if (text.startsWith(POISON)) {
                    throw new IllegalStateException("this update cannot be processed");
                }
                var given = GIVEN.incrementAndGet();
                var transaction = transactionName();
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        COMMITTED.add(new Handled(given, transaction, text));
                    }
                });
            };
        }

        /** A name for the current transaction, the same for every update it processes. */
        private static String transactionName() {
            var key = Recording.class;
            if (!TransactionSynchronizationManager.hasResource(key)) {
                TransactionSynchronizationManager.bindResource(key, UUID.randomUUID().toString());
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCompletion(int status) {
                        TransactionSynchronizationManager.unbindResourceIfPossible(key);
                    }
                });
            }
            return (String) TransactionSynchronizationManager.getResource(key);
        }
    }

    @Autowired
    Intake intake;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void aBacklogIsProcessedSeveralUpdatesATransactionEachSendersInOrder() {
        var senders = 6;
        var each = 5;
        var texts = backlog("batch", senders, each, -1);

        await().atMost(Duration.ofSeconds(60)).until(() -> handled(texts).size() == texts.size());
        var handled = handled(texts);
        assertThat(handled.stream().map(Handled::text)).as("each processed once").doesNotHaveDuplicates();
        for (int s = 0; s < senders; s++) {
            var prefix = "batch " + s + " ";
            assertThat(handled.stream().map(Handled::text).filter(t -> t.startsWith(prefix)).toList())
                    .as("sender %d's updates, in the order processed", s)
                    .isEqualTo(texts.stream().filter(t -> t.startsWith(prefix)).toList());
        }
        var perTransaction = handled.stream().collect(Collectors.groupingBy(Handled::transaction, Collectors.counting()));
        assertThat(perTransaction.values()).as("updates per transaction").allMatch(n -> n <= BATCH)
                .anyMatch(n -> n > 1);
    }

    @Test
    void anUpdateThatFailsLosesNoneOfTheOthersInItsBatchAndIsFailedAlone() {
        var senders = 4;
        var each = 6;
        var texts = backlog("mixed", senders, each, 2);
        var others = texts.stream().filter(t -> !t.startsWith(POISON)).toList();

        await().atMost(Duration.ofSeconds(60)).until(() -> handled(others).size() == others.size());
        var handled = handled(others);
        assertThat(handled.stream().map(Handled::text)).as("each of the others processed once").doesNotHaveDuplicates()
                .hasSize(others.size());
        for (int s = 0; s < senders; s++) {
            var prefix = "mixed " + s + " ";
            assertThat(handled.stream().map(Handled::text).filter(t -> t.startsWith(prefix)).toList())
                    .as("sender %d's updates, in the order processed", s)
                    .isEqualTo(others.stream().filter(t -> t.startsWith(prefix)).toList());
        }
        var failed = jdbc.sql("select state, attempts from inbound_update where endpoint = ? and state <> 'PROCESSED'")
                .param(BOT).query((rs, n) -> rs.getString(1) + " after " + rs.getInt(2)).list();
        assertThat(failed).as("the failing update, given up after its attempts")
                .containsExactly("FAILED after " + InboundProcessor.MAX_ATTEMPTS);
        jdbc.sql("delete from inbound_update where endpoint = ? and state = 'FAILED'").param(BOT).update();
    }

    @Test
    void anUpdateThatFailedBeforeIsTakenAloneNeverIntoABatch() {
        var senders = 4;
        var each = 6;
        var retried = "retried 2 1";
        var texts = backlog("retried", senders, each, -1, retried);

        await().atMost(Duration.ofSeconds(60)).until(() -> handled(texts).size() == texts.size());
        var handled = handled(texts);
        var itsTransaction = handled.stream().filter(h -> h.text().equals(retried)).findFirst().orElseThrow()
                .transaction();
        assertThat(handled.stream().filter(h -> h.transaction().equals(itsTransaction)).map(Handled::text))
                .as("what its transaction processed").containsExactly(retried);
        assertThat(handled.stream().collect(Collectors.groupingBy(Handled::transaction, Collectors.counting())).values())
                .as("the others still in batches").anyMatch(n -> n > 1);
    }

    /**
     * Stores {@code each} updates from each of {@code senders} new senders in one commit, so that the workers find
     * them all at once; sender 1's third is the failing one if {@code poisonAt} is not negative. Returns the texts in
     * the order stored.
     */
    private List<String> backlog(String name, int senders, int each, int poisonAt) {
        return backlog(name, senders, each, poisonAt, null);
    }

    /** As above; the update with the text {@code failedBefore}, if any, is stored as having failed once already. */
    private List<String> backlog(String name, int senders, int each, int poisonAt, String failedBefore) {
        var base = 600_000_000L + ThreadLocalRandom.current().nextLong(100_000_000L);
        var chats = new HashMap<Integer, PrivateChatUpdates>();
        var texts = new ArrayList<String>();
        transaction.executeWithoutResult(status -> {
            for (int i = 0; i < each; i++) {
                for (int s = 0; s < senders; s++) {
                    var chat = chats.computeIfAbsent(s, k -> new PrivateChatUpdates(base + k, "Ivan", "ru"));
                    var text = s == 1 && i == poisonAt ? POISON + " " + name : name + " " + s + " " + i;
                    texts.add(text);
                    var update = chat.text(text);
                    var key = update.get("update_id").asString();
                    intake.accept("telegram", BOT, key, Long.toString(base + s), update.toString(), Integer.MAX_VALUE);
                    if (text.equals(failedBefore)) {
                        jdbc.sql("update inbound_update set attempts = 1 where endpoint = ? and idempotency_key = ?")
                                .params(BOT, key).update();
                    }
                }
            }
        });
        return texts;
    }

    /** What the driver committed of these texts, in the order it was given them. */
    private static List<Handled> handled(List<String> texts) {
        var wanted = Map.copyOf(texts.stream().collect(Collectors.toMap(t -> t, t -> true)));
        return COMMITTED.stream().filter(h -> wanted.containsKey(h.text()))
                .sorted(java.util.Comparator.comparingLong(Handled::given)).toList();
    }
}
