package org.lifeline.channels.telegram;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import org.lifeline.platform.PlatformSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Long polling ({@code getUpdates}) for bots in polling mode, for deployments that cannot expose an HTTPS
 * endpoint. One node polls a bot at a time (it holds the bot's poll row lock during the call; Telegram refuses
 * two concurrent pollers). Updates are stored through the same intake as webhooks before the offset moves on,
 * so a crash at any point neither loses nor duplicates an update.
 */
@Component
class TelegramPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TelegramPoller.class);
    static final String POLL_CHANNEL = "telegram.poll";
    static final List<String> ALLOWED_UPDATES = List.of("message", "edited_message", "callback_query", "my_chat_member");

    private final TelegramSettings settings;
    private final TelegramBotApi api;
    private final TelegramIntake intake;
    private final JdbcClient jdbc;
    private final PlatformSettings platform;
    private final TransactionTemplate transaction;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    TelegramPoller(TelegramSettings settings, TelegramBotApi api, TelegramIntake intake, JdbcClient jdbc,
            PlatformSettings platform, PlatformTransactionManager transactions) {
        this.settings = settings;
        this.api = api;
        this.intake = intake;
        this.jdbc = jdbc;
        this.platform = platform;
        this.transaction = new TransactionTemplate(transactions);
    }

    @Override
    public synchronized void start() {
        if (running || !platform.backgroundWork()) {
            return;
        }
        running = true;
        for (var bot : settings.bots()) {
            if (bot.mode() == TelegramSettings.Mode.POLLING) {
                register(bot);
                threads.add(Thread.ofPlatform().name("telegram-poll-" + bot.username()).daemon().start(() -> poll(bot)));
            }
        }
    }

    private void register(TelegramSettings.Bot bot) {
        transaction.executeWithoutResult(status -> jdbc.sql(
                "insert into channel_endpoint (channel, endpoint) values (?, ?) on conflict do nothing")
                .params(POLL_CHANNEL, bot.username()).update());
    }

    private void poll(TelegramSettings.Bot bot) {
        while (running) {
            try {
                var polled = transaction.execute(status -> pollOnce(bot));
                if (polled == null || polled < 0) {
                    Thread.sleep(Duration.ofSeconds(1));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Polling bot {} failed: {}", bot.handle(), e.getClass().getSimpleName());
                try {
                    Thread.sleep(Duration.ofSeconds(5));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One getUpdates round under the bot's poll lock; returns the updates stored, or -1 if not polled. */
    int pollOnce(TelegramSettings.Bot bot) {
        var offset = jdbc.sql("select poll_offset from channel_endpoint where channel = ? and endpoint = ? for update skip locked")
                .params(POLL_CHANNEL, bot.username()).query(Long.class).optional();
        if (offset.isEmpty()) {
            return -1;
        }
        var request = new LinkedHashMap<String, Object>();
        request.put("offset", offset.get());
        request.put("timeout", settings.pollTimeout().toSeconds());
        request.put("allowed_updates", ALLOWED_UPDATES);
        TelegramBotApi.Answer answer;
        try {
            answer = api.call(bot, "getUpdates", api.write(request), settings.pollTimeout().plusSeconds(10));
        } catch (IOException e) {
            return -1;
        }
        if (!answer.ok() || !answer.result().isArray()) {
            log.warn("getUpdates for bot {} answered {}", bot.handle(), answer.status());
            return -1;
        }
        var next = offset.get();
        var stored = 0;
        for (var update : answer.result()) {
            intake.polled(bot, update);
            stored++;
            next = Math.max(next, update.path("update_id").asLong() + 1);
        }
        jdbc.sql("update channel_endpoint set poll_offset = ? where channel = ? and endpoint = ?")
                .params(next, POLL_CHANNEL, bot.username()).update();
        return stored;
    }

    @Override
    public synchronized void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
