package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lifeline.telegram.PrivateChatUpdates;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The node's inbound workers go through {@link IntakeFirst}: while the intake is busy and its one seat (of two
 * workers) is taken, a stored update waits, however often the workers are woken; once the intake is quiet it is
 * processed. The conversation driver does nothing (that of {@link InboundQueueWithoutStatisticsIntegrationTests}),
 * so that only the channel's queue is at work.
 */
@PersistenceTest
@Tag("integration")
@SpringBootTest(classes = {org.lifeline.LifelineApplication.class, InboundQueueWithoutStatisticsIntegrationTests.Quiet.class})
class IntakeFirstIntegrationTests {

    static final String BOT = "lifeline_intake_first_bot";

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("lifeline.telegram.bots[0].username", () -> BOT);
        registry.add("lifeline.telegram.bots[0].token", () -> "123456:intake-first-token");
        registry.add("lifeline.telegram.bots[0].webhook-secret", () -> "intake-first-secret-0123456789");
        registry.add("lifeline.channels.inbound-workers", () -> 2);
    }

    @Autowired
    Intake intake;

    @Autowired
    IntakeFirst intakeFirst;

    @Autowired
    JdbcClient jdbc;

    @Test
    void whileTheIntakeIsBusyAndItsSeatTakenNoWorkerProcessesAndOnceItIsQuietOneDoes() throws Exception {
        // two requests being stored at once: the intake is busy
        intakeFirst.began();
        intakeFirst.began();
        var seated = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        CompletableFuture<Boolean> seat;
        String key;
        try {
            // the one seat, taken here
            seat = takeTheSeat(seated, release);
            assertThat(seated.await(10, TimeUnit.SECONDS)).isTrue();

            var chatId = 700_000_000L + ThreadLocalRandom.current().nextLong(100_000_000L);
            var update = new PrivateChatUpdates(chatId, "Ivan", "ru").text("здравствуйте");
            key = update.get("update_id").asString();
            // the store wakes the workers; without a seat they process nothing, looking again every 20 ms
            intake.accept("telegram", BOT, key, Long.toString(chatId), update.toString(), Integer.MAX_VALUE);
            var stillPending = key;
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> "PENDING".equals(state(stillPending)));
        } finally {
            intakeFirst.ended();
            intakeFirst.ended();
            release.countDown();
        }
        assertThat(seat).succeedsWithin(Duration.ofSeconds(10));

        var processed = key;
        await().atMost(Duration.ofSeconds(30)).until(() -> "PROCESSED".equals(state(processed)));
    }

    /**
     * While the intake is busy a batch takes at most {@link IntakeFirst#FLOOD_BATCH} updates on PostgreSQL, where a
     * quiet intake lets it take {@code inbound-batch} (64): forty updates waiting go in three batches or more, each
     * marked processed in one statement (one timestamp a batch). On H2 the configured batch stays.
     */
    @Test
    void whileTheIntakeIsBusyABatchTakesNoMoreThanAFloodBatch() throws Exception {
        intakeFirst.began();
        intakeFirst.began();
        var release = new CountDownLatch(1);
        var keys = new java.util.ArrayList<String>();
        try {
            var seated = new CountDownLatch(1);
            var seat = takeTheSeat(seated, release);
            assertThat(seated.await(10, TimeUnit.SECONDS)).isTrue();
            // stored while the seat is taken here: all forty wait, then the workers find them at once
            var base = 800_000_000L + ThreadLocalRandom.current().nextLong(100_000_000L);
            for (int i = 0; i < 40; i++) {
                var chatId = base + i;
                var update = new PrivateChatUpdates(chatId, "Ivan", "ru").text("здравствуйте");
                keys.add(update.get("update_id").asString());
                intake.accept("telegram", BOT, keys.getLast(), Long.toString(chatId), update.toString(), Integer.MAX_VALUE);
            }
            release.countDown();
            assertThat(seat).succeedsWithin(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(30)).until(() -> keys.stream().allMatch(k -> "PROCESSED".equals(state(k))));
        } finally {
            release.countDown();
            intakeFirst.ended();
            intakeFirst.ended();
        }

        var perBatch = jdbc.sql("""
                select count(*) from inbound_update where endpoint = ? and idempotency_key in (%s) group by processed_at"""
                        .formatted(String.join(", ", java.util.Collections.nCopies(keys.size(), "?"))))
                .params(java.util.stream.Stream.concat(java.util.stream.Stream.of(BOT), keys.stream()).toList())
                .query(Long.class).list();
        assertThat(perBatch.stream().mapToLong(Long::longValue).sum()).isEqualTo(keys.size());
        assertThat(perBatch).as("updates a batch").allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(intakeFirst.floodBatch()));
        // on H2 every commit writes the pages it changed to the file: there the configured batch stays
        assertThat(intakeFirst.floodBatch()).isEqualTo(DatabaseAvailability.onPostgres() ? IntakeFirst.FLOOD_BATCH : 64);
        // on H2 through the intake journal (on by default)
        assertThat(intakeFirst.restRatio()).isEqualTo(DatabaseAvailability.onPostgres() ? IntakeFirst.FLOOD_REST_RATIO
                : IntakeFirst.H2_JOURNAL_REST_RATIO);
    }

    /** Takes the intake's one seat (of two workers) until released; {@code seated} once it has. */
    private CompletableFuture<Boolean> takeTheSeat(CountDownLatch seated, CountDownLatch release) {
        return CompletableFuture.supplyAsync(() -> intakeFirst.run(most -> {
            seated.countDown();
            try {
                return !release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }));
    }

    private String state(String key) {
        return jdbc.sql("select state from inbound_update where endpoint = ? and idempotency_key = ?")
                .params(BOT, key).query(String.class).single();
    }
}
