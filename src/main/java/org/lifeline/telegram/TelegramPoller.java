package org.lifeline.telegram;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;

import org.lifeline.channels.EndpointLeases;
import org.lifeline.platform.BackgroundWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Long polling ({@code getUpdates}) for bots in polling mode, for deployments that cannot expose an HTTPS
 * endpoint. One node polls a bot at a time (it holds the bot's poll {@link EndpointLeases lease}; Telegram refuses
 * two concurrent pollers). The long poll runs with no transaction open and no pooled connection taken; then the
 * updates are stored through the same intake as webhooks, and the offset moved on, in one short transaction, so a
 * crash at any point neither loses nor duplicates an update (one polled again is stored once).
 */
@Component
class TelegramPoller {

    private static final Logger log = LoggerFactory.getLogger(TelegramPoller.class);
    static final String POLL_CHANNEL = "telegram.poll";
    /** The lease outlives a long poll by this much, so that it is renewed before it runs out. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
    static final List<String> ALLOWED_UPDATES = List.of("message", "edited_message", "callback_query", "my_chat_member");

    private final TelegramSettings settings;
    private final TelegramBotApi api;
    private final TelegramIntake intake;
    private final JdbcClient jdbc;
    private final EndpointLeases leases;
    private final BackgroundWork work;
    private final TransactionTemplate transaction;

    TelegramPoller(TelegramSettings settings, TelegramBotApi api, TelegramIntake intake, JdbcClient jdbc,
            EndpointLeases leases, BackgroundWork work, PlatformTransactionManager transactions) {
        this.settings = settings;
        this.api = api;
        this.intake = intake;
        this.jdbc = jdbc;
        this.leases = leases;
        this.work = work;
        this.transaction = new TransactionTemplate(transactions);
        var polled = settings.bots().stream().filter(bot -> bot.mode() == TelegramSettings.Mode.POLLING).toList();
        for (var bot : polled) {
            // a round that did not poll (no lease, no answer) waits a second; a long poll that ended polls again
            // at once. A stop does not wait for a long poll: nothing it fetches is stored or acknowledged once
            // stopping, so Telegram keeps it for the next poll.
            work.add("telegram-poll-" + bot.username(), Duration.ofSeconds(1), () -> pollOnce(bot) >= 0)
                    .notAwaitedAtStop();
        }
        work.onStart(() -> polled.forEach(bot -> leases.register(POLL_CHANNEL, bot.username())));
        work.onStopped(left -> polled.forEach(bot -> leases.release(POLL_CHANNEL, bot.username())));
    }

    /** One getUpdates round under the bot's poll lease; returns the updates stored, or -1 if not polled. */
    int pollOnce(TelegramSettings.Bot bot) {
        if (!leases.acquire(POLL_CHANNEL, bot.username(), settings.pollTimeout().plus(LEASE_MARGIN))) {
            return -1;
        }
        var offset = jdbc.sql("select poll_offset from channel_endpoint where channel = ? and endpoint = ?")
                .params(POLL_CHANNEL, bot.username()).query(Long.class).single();
        var request = new LinkedHashMap<String, Object>();
        request.put("offset", offset);
        request.put("timeout", settings.pollTimeout().toSeconds());
        request.put("allowed_updates", ALLOWED_UPDATES);
        TelegramBotApi.Answer answer;
        try {
            answer = api.call(bot, "getUpdates", api.write(request), settings.pollTimeout().plusSeconds(10));
        } catch (IOException e) {
            return -1;
        }
        if (!work.isRunning()) {
            return -1;
        }
        if (!answer.ok() || !answer.result().isArray()) {
            log.warn("getUpdates for bot {} answered {}", bot.handle(), answer.status());
            return -1;
        }
        var stored = transaction.execute(status -> {
            var next = offset;
            var count = 0;
            for (var update : answer.result()) {
                intake.polled(bot, update);
                count++;
                next = Math.max(next, update.path("update_id").asLong() + 1);
            }
            jdbc.sql("update channel_endpoint set poll_offset = ? where channel = ? and endpoint = ?")
                    .params(next, POLL_CHANNEL, bot.username()).update();
            return count;
        });
        return stored == null ? -1 : stored;
    }
}
