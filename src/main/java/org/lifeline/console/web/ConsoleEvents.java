package org.lifeline.console.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.lifeline.cases.CaseOpened;
import org.lifeline.cases.CaseStatusChanged;
import org.lifeline.conversations.ConversationOpened;
import org.lifeline.conversations.InboundMessageRecorded;
import org.lifeline.conversations.OutboundMessageRecorded;
import org.lifeline.platform.ClusterSignals;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
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

    private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
    private final ClusterSignals signals;
    private volatile boolean running;

    ConsoleEvents(ClusterSignals signals) {
        this.signals = signals;
        signals.subscribe(CHANNEL, this::broadcast);
    }

    /** A stream for one browser; none while the server stops (the browser reconnects to another node, or later). */
    SseEmitter subscribe() {
        if (!running) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE);
        }
        var emitter = new SseEmitter(EMITTER_TIMEOUT.toMillis());
        emitters.add(emitter);
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(emitter::complete);
        emitter.onError(e -> emitters.remove(emitter));
        try {
            // a comment at once: the browser (and any proxy between) sees the stream open now, not at the first change
            emitter.send(SseEmitter.event().comment("open"));
        } catch (java.io.IOException e) {
            emitters.remove(emitter);
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE);
        }
        return emitter;
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

    private void broadcast() {
        for (var emitter : emitters) {
            try {
                emitter.send(SseEmitter.event().name("queue").data(""));
            } catch (IOException | IllegalStateException e) {
                emitters.remove(emitter);
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
        emitters.forEach(SseEmitter::complete);
        emitters.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
