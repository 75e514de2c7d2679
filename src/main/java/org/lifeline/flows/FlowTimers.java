package org.lifeline.flows;

import java.time.Clock;
import java.time.Duration;

import org.lifeline.platform.PeriodicWork;
import org.lifeline.platform.PlatformSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every half minute, reminds or expires the sessions whose due time has come: all of them, in due order, a batch at
 * a time. Each session is claimed on its own, so that several nodes share the work and none ticks a session another
 * node holds; a session is read at most once a pass, so one that stays due (its tick failed, or another node holds
 * it) waits for the next pass instead of holding this one up.
 */
@Component
class FlowTimers extends PeriodicWork {

    /** Sessions read at once: a bounded read, the pass takes as many batches as are due. */
    static final int BATCH = 200;

    private static final Logger log = LoggerFactory.getLogger(FlowTimers.class);

    private final FlowSessions sessions;
    private final FlowConversations conversations;
    private final Clock clock;

    FlowTimers(FlowSessions sessions, FlowConversations conversations, PlatformSettings settings, Clock clock) {
        super("flow-timers", settings);
        this.sessions = sessions;
        this.conversations = conversations;
        this.clock = clock;
    }

    /** One pass over what is due now: returns how many messages the engine sent. */
    int tickDue() {
        var now = clock.instant();
        var sent = 0;
        FlowSessions.Due last = null;
        while (true) {
            var due = sessions.dueBy(now, last, BATCH);
            for (var session : due) {
                try {
                    sent += conversations.tick(session.conversation(), now);
                } catch (RuntimeException e) {
                    // one session that cannot be ticked must not hold back those due after it; the class name
                    // only, as a message may quote personal data
                    log.warn("Flow timer failed for a session: {}", e.getClass().getSimpleName());
                }
            }
            if (due.size() < BATCH) {
                return sent;
            }
            last = due.getLast();
        }
    }

    @Override
    protected Duration every() {
        return Duration.ofSeconds(30);
    }

    @Override
    protected void round() {
        tickDue();
    }
}
