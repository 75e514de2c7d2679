package org.lifeline.telephony;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.lifeline.operators.OperatorDuty;
import org.lifeline.operators.OperatorId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Calls free on-duty operators to the queue of a language: while more callers wait than operators are being rung,
 * the next free operator who speaks it (enabled, on duty, not being rung nor talking) is claimed and called through
 * the provider's Calls API from the hotline's number. Only operators are ever called, never a caller. Run whenever
 * a caller joins the queue, at every turn of the wait loop, and when an operator's call ends, so an operator who
 * does not pick up is followed by the next one. Two nodes may count at once and ring one operator too many: he finds
 * the queue empty and his call ends.
 * <p>
 * The calls are placed in the background, never inside the provider's webhook request: the Calls API may be slow or
 * away, and a caller must hear his answer (the queue's hold message) at once, within the provider's webhook timeout,
 * however long ringing the operators takes. Offers for one language and number run one at a time; one asked for
 * while another runs is run once more after it, so nobody who joined meanwhile is left uncounted.
 */
@Component
class OperatorCalls implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(OperatorCalls.class);

    private final TelephonySettings settings;
    private final TwilioApi api;
    private final VoiceCalls calls;
    private final OperatorDuty duty;
    private final ExecutorService background = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("operator-calls-", 0).factory());
    /** Offers asked for and not yet begun, by language and number. */
    private final Set<String> asked = ConcurrentHashMap.newKeySet();
    /** One offer at a time per language and number. */
    private final Map<String, Semaphore> turns = new ConcurrentHashMap<>();
    private final AtomicInteger unsettled = new AtomicInteger();

    OperatorCalls(TelephonySettings settings, TwilioApi api, VoiceCalls calls, OperatorDuty duty) {
        this.settings = settings;
        this.api = api;
        this.calls = calls;
        this.duty = duty;
    }

    /** Asks for an {@link #offer} in the background; returns at once. */
    void offerSoon(String language, String endpoint) {
        var key = language + " " + endpoint;
        if (!asked.add(key)) {
            // one is asked for already and has not begun: it will count this caller too
            return;
        }
        unsettled.incrementAndGet();
        try {
            background.execute(() -> runWhenFree(key, language, endpoint));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            asked.remove(key);
            unsettled.decrementAndGet();
        }
    }

    private void runWhenFree(String key, String language, String endpoint) {
        try {
            var turn = turns.computeIfAbsent(key, k -> new Semaphore(1));
            turn.acquire();
            asked.remove(key);
            try {
                offer(language, endpoint);
            } catch (RuntimeException e) {
                log.warn("Calling operators to the queue failed: {}", e.getClass().getSimpleName());
            } finally {
                turn.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            unsettled.decrementAndGet();
        }
    }

    /** Whether every offer asked for has run (for tests and for an orderly stop). */
    boolean settled() {
        return unsettled.get() == 0;
    }

    /** Lets an offer under way finish briefly; one still waiting on the provider after that is left to it. */
    @Override
    public void destroy() throws InterruptedException {
        background.shutdown();
        background.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Rings as many free operators of the language as callers wait unanswered; returns how many were called. */
    int offer(String language, String endpoint) {
        var needed = calls.waiting(language) - calls.ringing(language);
        if (needed <= 0) {
            return 0;
        }
        var busy = calls.busyOperators();
        var called = 0;
        for (var operator : duty.onDutyFor(language)) {
            if (called >= needed) {
                break;
            }
            if (busy.contains(operator.operator().value()) || !calls.claimOperator(operator.operator(), language, endpoint)) {
                continue;
            }
            if (call(operator.operator(), operator.reachAt(), language, endpoint)) {
                called++;
            }
        }
        return called;
    }

    private boolean call(OperatorId operator, String reachAt, String language, String endpoint) {
        var query = "?l=" + URLEncoder.encode(language, StandardCharsets.UTF_8) + "&o=" + operator.value();
        try {
            // his phone shows the hotline's number, and the request carries no caller's number at all
            var answer = api.call(endpoint, reachAt, settings.publicUrl(VoiceLine.BASE + "/operator") + query,
                    settings.publicUrl(VoiceLine.BASE + "/operator-status") + query, VoiceCalls.RING);
            var sid = answer.ok() && answer.body() != null ? answer.body().path("sid").asString(null) : null;
            if (sid != null && VoiceLine.CALL_SID.matcher(sid).matches()) {
                calls.operatorCalled(operator, sid);
                return true;
            }
            // the error code only: the provider's message may quote his address
            log.warn("Calling an operator to the queue failed: HTTP {}, code {}", answer.status(), answer.errorCode());
        } catch (IOException e) {
            log.warn("Calling an operator to the queue failed: {}", e.getClass().getSimpleName());
        }
        calls.operatorNotCalled(operator);
        return false;
    }
}
