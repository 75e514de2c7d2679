package org.lifeline.console.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.lifeline.cases.CaseOpened;
import org.lifeline.cases.CaseStatusChanged;
import org.lifeline.conversations.ConversationOpened;
import org.lifeline.conversations.InboundMessageRecorded;
import org.lifeline.conversations.OutboundMessageRecorded;
import org.lifeline.operators.OperatorLogin;
import org.lifeline.platform.ClusterSignals;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Tells open consoles that the queue changed, as server-sent events carrying no data (the page fetches what it may
 * see). A change on any node reaches every node's browsers through {@link ClusterSignals}, once it is committed, so
 * that the page they fetch shows it.
 */
@Component
class ConsoleEvents implements SmartLifecycle {

    static final String CHANNEL = "lifeline_console";
    /** Browsers reconnect on their own after this; it bounds how long a dead connection is held. */
    private static final Duration EMITTER_TIMEOUT = Duration.ofMinutes(10);
    /**
     * How often, at most, a stream's sign-in is checked again before an event goes to it: a session ended meanwhile
     * (signed out elsewhere, disabled, its password changed) hears of the queue no more, without a database read for
     * every stream at every change.
     */
    static final Duration RECHECK = Duration.ofSeconds(30);

    /** One browser's stream, the sign-in it was opened with, and when that was last found to stand. */
    private static final class Stream {
        final SseEmitter emitter;
        final Authentication signedIn;
        volatile Instant checked;

        Stream(SseEmitter emitter, Authentication signedIn, Instant checked) {
            this.emitter = emitter;
            this.signedIn = signedIn;
            this.checked = checked;
        }
    }

    private final List<Stream> streams = new CopyOnWriteArrayList<>();
    private final ClusterSignals signals;
    private final OperatorLogin login;
    private final Clock clock;
    private volatile boolean running;

    ConsoleEvents(ClusterSignals signals, OperatorLogin login, Clock clock) {
        this.signals = signals;
        this.login = login;
        this.clock = clock;
        signals.subscribe(CHANNEL, this::broadcast);
    }

    /**
     * A stream for one signed-in browser; none while the server stops (the browser reconnects to another node, or
     * later).
     */
    SseEmitter subscribe(Authentication signedIn) {
        if (!running) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE);
        }
        var emitter = new SseEmitter(EMITTER_TIMEOUT.toMillis());
        var stream = new Stream(emitter, signedIn, clock.instant());
        streams.add(stream);
        emitter.onCompletion(() -> streams.remove(stream));
        emitter.onTimeout(emitter::complete);
        emitter.onError(e -> streams.remove(stream));
        try {
            // a comment at once: the browser (and any proxy between) sees the stream open now, not at the first change
            emitter.send(SseEmitter.event().comment("open"));
        } catch (java.io.IOException e) {
            streams.remove(stream);
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE);
        }
        return emitter;
    }

    /** Streams open on this node. */
    int open() {
        return streams.size();
    }

    @EventListener
    void on(ConversationOpened event) {
        changed();
    }

    @EventListener
    void on(InboundMessageRecorded event) {
        changed();
    }

    @EventListener
    void on(OutboundMessageRecorded event) {
        changed();
    }

    @EventListener
    void on(CaseOpened event) {
        changed();
    }

    @EventListener
    void on(CaseStatusChanged event) {
        changed();
    }

    private void changed() {
        signals.signal(CHANNEL);
    }

    void broadcast() {
        var now = clock.instant();
        for (var stream : streams) {
            if (!stream.checked.plus(RECHECK).isAfter(now)) {
                if (!login.stillValid(stream.signedIn)) {
                    streams.remove(stream);
                    stream.emitter.complete();
                    continue;
                }
                stream.checked = now;
            }
            try {
                stream.emitter.send(SseEmitter.event().name("queue").data(""));
            } catch (IOException | IllegalStateException e) {
                streams.remove(stream);
            }
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every open stream as soon as the application starts closing, before the web server's graceful shutdown,
     * which would otherwise wait for these never-ending responses until its timeout.
     */
    @EventListener(ContextClosedEvent.class)
    void closing() {
        stop();
    }

    @Override
    public void stop() {
        running = false;
        streams.forEach(stream -> stream.emitter.complete());
        streams.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
