package org.lifeline.flows.engine;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one requester is in a flow: a plain value the host persists between inputs (the flows module stores it as
 * JSON), so a restart resumes at the same node with the answers kept. It names the flow version it runs on, so a session
 * finishes on the version it started even after a newer one is deployed.
 *
 * @param flow the flow now running (a menu may have moved on to another flow)
 * @param version that flow's version
 * @param entryFlow the flow the session started with, where {@code /restart} returns
 * @param node the node waiting for an answer (or, before the language is known, the node to enter)
 * @param language the requester's language, null until known
 * @param answers what the requester answered, by field name; locations spread over {@code field.*}
 * @param waitingSince when the last input arrived, for reminders and expiry
 * @param history the questions of the current flow answered so far, oldest first: where {@code /back} returns
 */
public record Session(String flow, int version, String entryFlow, String node, String language, Status status,
                      Pending pending, int retries, Instant waitingSince, boolean reminded, boolean caseOpened,
                      boolean photos, String campaign, Map<String, String> answers, List<String> history) {

    public enum Status {
        ACTIVE, HANDED_OVER, ENDED
    }

    /** A question the engine asked in between the flow's own nodes. */
    public enum Pending {
        NONE, LANGUAGE, RETRY_OFFER
    }

    public Session {
        answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** Ended or handed over: the flow asks nothing more, though commands still work. */
    public boolean finished() {
        return status != Status.ACTIVE;
    }
}
