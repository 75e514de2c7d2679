package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.lifeline.channels.ChannelIntake;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.conversations.Direction;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.platform.ClusterSignals;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A web chat post waits for its answer on the signals of the inbound processor and the dispatcher, sent after their
 * commits: with a re-check an hour apart the wait ends only if a signal comes, and only if it comes after the answer
 * is recorded (one sent before would find the work still pending, and the wait would run into its deadline).
 */
@PersistenceTest
@SpringBootTest
class SenderWaitsIntegrationTests {

    @Autowired
    Intake intake;

    @Autowired
    SenderWaits waits;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    ClusterSignals signals;

    @Test
    void aPostIsWokenWhenItsAnswerIsRecorded() {
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        var sender = HexFormat.of().formatHex(bytes);
        var looks = new AtomicInteger();
        var refs = intake.refs("webchat", "web", sender);

        var stored = intake.accept("webchat", "web", "start:" + UUID.randomUUID(), sender,
                "{\"type\":\"start\",\"sender\":\"" + sender + "\",\"language\":\"en\",\"value\":null}", 100);
        var answered = waits.await(refs, () -> {
            looks.incrementAndGet();
            return intake.idle("webchat", "web", sender);
        }, Duration.ofSeconds(60), Duration.ofHours(1));

        assertThat(stored).isEqualTo(ChannelIntake.Outcome.STORED);
        assertThat(answered).isTrue();
        var conversation = conversations.findContact("webchat", sender).flatMap(conversations::latestConversation)
                .orElseThrow();
        assertThat(conversations.transcript(conversation)).filteredOn(m -> m.direction() == Direction.OUTBOUND)
                .isNotEmpty().allMatch(m -> m.delivery() == DeliveryState.SENT);
        assertThat(looks.get()).as("a look per signal, not one every 50 ms").isLessThan(10);
    }

    /** Another node settled something for a sender waiting here: its signal has every waiter here look again. */
    @Test
    void aSignalFromAnotherNodeWakesTheWaitersHere() {
        var looks = new AtomicInteger();
        var settled = new java.util.concurrent.atomic.AtomicBoolean();
        var waiting = new java.util.concurrent.CompletableFuture<Boolean>();
        Thread.ofPlatform().daemon().start(() -> waiting.complete(waits.await(List.of(new byte[] {9}), () -> {
            looks.incrementAndGet();
            return settled.get();
        }, Duration.ofSeconds(60), Duration.ofHours(1))));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() == 1);

        settled.set(true);
        // the listener takes up a channel within a second of its subscription (at start-up, long since)
        signals.signal(SenderWaits.SIGNAL);

        assertThat(waiting).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(true);
        assertThat(looks).hasValue(2);
    }
}
