package org.lifeline.flows;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.lifeline.platform.PlatformSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Asks the engine, every half minute, about sessions that wait for an answer: a reminder is due, or expiry. */
@Component
class FlowTimers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FlowTimers.class);

    private final FlowSessions sessions;
    private final FlowConversations conversations;
    private final PlatformSettings settings;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    FlowTimers(FlowSessions sessions, FlowConversations conversations, PlatformSettings settings, Clock clock) {
        this.sessions = sessions;
        this.conversations = conversations;
        this.settings = settings;
        this.clock = clock;
    }

    /** One round: returns how many messages the engine sent. */
    int tickWaiting() {
        var sent = 0;
        for (var conversation : sessions.waitingSince(clock.instant().minus(FlowConversations.TICK_AFTER), 500)) {
            sent += conversations.tick(conversation);
        }
        return sent;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null || !settings.backgroundWork()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("flow-timers").daemon().factory());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                tickWaiting();
            } catch (RuntimeException e) {
                log.warn("Flow timers failed: {}", e.getClass().getSimpleName());
            }
        }, 30, 30, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
