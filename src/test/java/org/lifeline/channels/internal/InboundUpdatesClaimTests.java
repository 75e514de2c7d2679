package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A node claims only the updates of the endpoints it is configured for: another endpoint's update needs that
 * endpoint's settings to be read and answered.
 */
@PersistenceTest
@SpringBootTest
class InboundUpdatesClaimTests {

    @Autowired
    InboundUpdates updates;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void anUpdateIsClaimedOnlyByANodeThatServesItsEndpoint() {
        // an endpoint this test's application is not configured for: its own workers leave the update alone
        var endpoint = "unserved_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        var sender = ("sender-" + endpoint).getBytes(StandardCharsets.UTF_8);
        // in a transaction, as the poller stores: into inbound_update at once (a webhook's goes through H2's journal)
        Boolean stored = new TransactionTemplate(transactions).execute(status ->
                updates.store("telegram", endpoint, "1", sender, "{\"update_id\":1}", false));
        assertThat(stored).isTrue();

        var transaction = new TransactionTemplate(transactions);
        var byAnotherNode = transaction.execute(status -> {
            status.setRollbackOnly();
            return updates.claimNext(List.of(new InboundUpdates.Endpoint("telegram", "some_other_bot"),
                    new InboundUpdates.Endpoint("whatsapp", endpoint)));
        });
        assertThat(byAnotherNode.filter(c -> c.endpoint().equals(endpoint))).isEmpty();

        var byItsNode = transaction.execute(status -> {
            status.setRollbackOnly();
            return updates.claimNext(List.of(new InboundUpdates.Endpoint("telegram", endpoint)));
        });
        assertThat(byItsNode).hasValueSatisfying(c -> {
            assertThat(c.channel()).isEqualTo("telegram");
            assertThat(c.endpoint()).isEqualTo(endpoint);
        });
        Optional<InboundUpdates.Claimed> byANodeWithoutEndpoints = transaction.execute(status -> {
            status.setRollbackOnly();
            return updates.claimNext(List.of());
        });
        assertThat(byANodeWithoutEndpoints).isEmpty();
    }

    /**
     * Within one batch an update found locked by another worker is passed over and not tried again, even once that
     * worker let it go, and its sender's later updates keep waiting behind it; other senders' updates go on.
     */
    @Test
    void aBatchPassesOverAnUpdateAnotherWorkerHoldsAndKeepsItsSenderWaiting() throws Exception {
        var endpoint = unservedEndpoint();
        var served = List.of(new InboundUpdates.Endpoint("telegram", endpoint));
        store(endpoint, "a", "a1", 1);
        store(endpoint, "b", "b1", 2);
        store(endpoint, "a", "a2", 3);

        var transaction = new TransactionTemplate(transactions);
        var held = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        try (var other = java.util.concurrent.Executors.newSingleThreadExecutor()) {
            var otherWorker = other.submit(() -> transaction.execute(status -> {
                status.setRollbackOnly();
                var claimed = updates.claimNext(served).orElseThrow();
                held.countDown();
                await(release);
                return claimed.idempotencyKey();
            }));
            await(held);
            var claims = transaction.execute(status -> {
                status.setRollbackOnly();
                var batch = new InboundUpdates.Batch();
                var keys = new java.util.ArrayList<String>();
                var first = updates.claimNext(served, batch).orElseThrow();
                keys.add(first.idempotencyKey());
                updates.markProcessed(first.id());
                keys.add(String.valueOf(batch.passedOver()));
                // the other worker lets a1 go (its transaction rolled back): this batch does not try it again
                release.countDown();
                await(otherWorkerDone(otherWorker));
                keys.add(updates.claimNext(served, batch).map(InboundUpdates.Claimed::idempotencyKey).orElse("none"));
                return keys;
            });
            assertThat(otherWorker.get()).isEqualTo("a1");
            assertThat(claims).containsExactly("b1", "1", "none");
        }
        // the next batch takes a1, and only then a2
        var next = transaction.execute(status -> {
            status.setRollbackOnly();
            return updates.claimNext(served).map(InboundUpdates.Claimed::idempotencyKey).orElse("none");
        });
        assertThat(next).isEqualTo("a1");
    }

    /** In one batch a sender's next update is claimed once his previous one was handled, and in order. */
    @Test
    void aBatchTakesASendersNextUpdateOnceItHandledHisPreviousOne() {
        var endpoint = unservedEndpoint();
        var served = List.of(new InboundUpdates.Endpoint("telegram", endpoint));
        store(endpoint, "s", "s1", 1);
        store(endpoint, "s", "s2", 2);
        store(endpoint, "t", "t1", 3);

        var keys = claimAll(served, new InboundUpdates.Batch(), true);
        assertThat(keys).containsExactly("s1", "s2", "t1");
    }

    /**
     * Two workers take first the updates of the senders of their own lane, so that they do not try the same rows in
     * turn, and then anyone's: a worker whose lane has nothing waiting takes the other lane's oldest.
     */
    @Test
    void aBatchTakesItsOwnLanesSendersFirstThenAnyones() {
        var endpoint = unservedEndpoint();
        var served = List.of(new InboundUpdates.Endpoint("telegram", endpoint));
        var inLane0 = senderInLane(endpoint, 0);
        var inLane1 = senderInLane(endpoint, 1);
        store(endpoint, inLane0, "first", 1);
        store(endpoint, inLane1, "second", 2);
        store(endpoint, inLane0, "third", 3);

        var byLane1 = claimAll(served, new InboundUpdates.Batch(1, 2), true);
        var byLane0 = new TransactionTemplate(transactions).execute(status -> {
            status.setRollbackOnly();
            return updates.claimNext(served, new InboundUpdates.Batch(0, 2)).orElseThrow().idempotencyKey();
        });

        assertThat(byLane1).as("its own sender's first, then the other lane's in their order").containsExactly("second", "first", "third");
        assertThat(byLane0).isEqualTo("first");
    }

    /**
     * A batch that claims ahead locks the updates heading their senders' queues at once, one a sender (another
     * worker finds them all taken), hands them out in order, and takes a sender's next update only once his previous
     * one was handed out, though it is not yet marked processed (that happens at the batch's end).
     */
    @Test
    void aBatchClaimingAheadLocksOneUpdateASenderAtOnceAndHandsThemOutInOrder() throws Exception {
        var endpoint = unservedEndpoint();
        var served = List.of(new InboundUpdates.Endpoint("telegram", endpoint));
        store(endpoint, "s", "s1", 1);
        store(endpoint, "s", "s2", 2);
        store(endpoint, "t", "t1", 3);
        store(endpoint, "u", "u1", 4);

        var transaction = new TransactionTemplate(transactions);
        try (var other = java.util.concurrent.Executors.newSingleThreadExecutor()) {
            var result = transaction.execute(status -> {
                status.setRollbackOnly();
                var batch = new InboundUpdates.Batch(0, 1, 4, 4);
                var taken = new java.util.ArrayList<String>();
                taken.add(updates.claimNext(served, batch).orElseThrow().idempotencyKey());
                // another worker, while this batch holds what it claimed ahead
                String byOther;
                try {
                    byOther = other.submit(() -> transaction.execute(otherStatus -> {
                        otherStatus.setRollbackOnly();
                        return updates.claimNext(served).map(InboundUpdates.Claimed::idempotencyKey).orElse("none");
                    })).get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (var claimed = updates.claimNext(served, batch); claimed.isPresent(); claimed = updates.claimNext(served, batch)) {
                    taken.add(claimed.get().idempotencyKey());
                }
                return List.of(String.join(",", taken), byOther);
            });
            assertThat(result.getFirst()).isEqualTo("s1,t1,u1,s2");
            assertThat(result.getLast()).as("what another worker could claim meanwhile").isEqualTo("none");
        }
    }

    /** A batch takes no more than its size, however many wait. */
    @Test
    void aBatchClaimsNoMoreThanItsSize() {
        var endpoint = unservedEndpoint();
        var served = List.of(new InboundUpdates.Endpoint("telegram", endpoint));
        store(endpoint, "a", "a1", 1);
        store(endpoint, "b", "b1", 2);
        store(endpoint, "c", "c1", 3);

        var keys = claimAll(served, new InboundUpdates.Batch(0, 1, 2, 16), false);
        assertThat(keys).containsExactly("a1", "b1");
    }

    /**
     * An update that failed waits for its retry, and its sender's later updates wait behind it; other senders' go on.
     * Once the retry is due it is claimed first. A failure of the database (postponed, not counted) waits the same.
     */
    @Test
    void anUpdateThatFailedWaitsForItsRetryAndHoldsItsSendersLaterOnes() {
        var endpoint = unservedEndpoint();
        var served = List.of(new InboundUpdates.Endpoint("telegram", endpoint));
        store(endpoint, "a", "a1", 1);
        store(endpoint, "a", "a2", 2);
        store(endpoint, "b", "b1", 3);
        store(endpoint, "c", "c1", 4);
        var a1 = id(endpoint, "a1");
        var c1 = id(endpoint, "c1");
        var later = java.time.Instant.now().plus(java.time.Duration.ofMinutes(10));
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            updates.recordFailure(a1, 0, "IllegalStateException", later);
            updates.postpone(c1, 0, "CannotGetJdbcConnectionException", later);
        });

        assertThat(claimAll(served, new InboundUpdates.Batch(), true)).as("before the retries are due").containsExactly("b1");

        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            updates.recordFailure(a1, 1, "IllegalStateException", java.time.Instant.now().minusSeconds(1));
            updates.postpone(c1, 0, "CannotGetJdbcConnectionException", java.time.Instant.now().minusSeconds(1));
        });
        assertThat(claimAll(served, new InboundUpdates.Batch(), true)).as("once due")
                .containsExactly("a1", "a2", "b1", "c1");
        assertThat(jdbc.sql("select attempts from inbound_update where id in (?, ?) order by id").params(a1, c1)
                .query(Integer.class).list()).as("the database's failure not counted").containsExactly(2, 0);
    }

    private long id(String endpoint, String key) {
        return jdbc.sql("select id from inbound_update where endpoint = ? and idempotency_key = ?").params(endpoint, key)
                .query(Long.class).single();
    }

    /**
     * The keys of everything {@code batch} claims, in order, in one transaction rolled back afterwards; each marked
     * processed as soon as claimed when {@code markEach}.
     */
    private List<String> claimAll(List<InboundUpdates.Endpoint> served, InboundUpdates.Batch batch, boolean markEach) {
        return new TransactionTemplate(transactions).execute(status -> {
            status.setRollbackOnly();
            var taken = new java.util.ArrayList<String>();
            for (var claimed = updates.claimNext(served, batch); claimed.isPresent(); claimed = updates.claimNext(served, batch)) {
                taken.add(claimed.get().idempotencyKey());
                if (markEach) {
                    updates.markProcessed(claimed.get().id());
                }
            }
            return taken;
        });
    }

    /** A sender name (before the endpoint's suffix) whose updates are in this lane of two. */
    private static String senderInLane(String endpoint, int lane) {
        for (char c = 'a'; ; c++) {
            var hex = java.util.HexFormat.of().formatHex((c + "-" + endpoint).getBytes(StandardCharsets.UTF_8));
            if (InboundUpdates.lane(hex, 2) == lane) {
                return String.valueOf(c);
            }
        }
    }

    /** More pending updates of an endpoint nobody serves than a window holds do not hide those of one served. */
    @Test
    void aServedUpdateBehindAFullWindowOfAnUnservedEndpointsIsClaimed() {
        var suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        var unserved = "gone_" + suffix;
        var served = "here_" + suffix;
        var key = new TransactionTemplate(transactions).execute(status -> {
            status.setRollbackOnly();
            for (int i = 0; i < InboundUpdates.CLAIM_WINDOW * 2 + 1; i++) {
                updates.store("telegram", unserved, "g" + i, ("g" + i + unserved).getBytes(StandardCharsets.UTF_8),
                        "{\"update_id\":" + i + "}", false);
            }
            updates.store("telegram", served, "h1", ("h-" + served).getBytes(StandardCharsets.UTF_8), "{\"update_id\":1}", false);
            return updates.claimNext(List.of(new InboundUpdates.Endpoint("telegram", served)))
                    .map(InboundUpdates.Claimed::idempotencyKey).orElse("none");
        });
        assertThat(key).isEqualTo("h1");
    }

    /** An endpoint this test's application is not configured for: its own workers leave its updates alone. */
    private static String unservedEndpoint() {
        return "unserved_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Stores an update of {@code sender} (one letter) to {@code endpoint}, committed at once. */
    /** Stores in a transaction, as the poller does: into inbound_update at once, on H2 too (no intake journal). */
    private void store(String endpoint, String sender, String key, int updateId) {
        new TransactionTemplate(transactions).executeWithoutResult(status -> updates.store("telegram", endpoint, key,
                (sender + "-" + endpoint).getBytes(StandardCharsets.UTF_8), "{\"update_id\":" + updateId + "}", false));
    }

    private static java.util.concurrent.CountDownLatch otherWorkerDone(java.util.concurrent.Future<?> worker) {
        var done = new java.util.concurrent.CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                worker.get();
            } catch (Exception e) {
                // the assertion on its result reports it
            }
            done.countDown();
        });
        return done;
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            if (!latch.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
