package org.lifeline.channels;

import java.time.Instant;
import java.util.List;

import org.lifeline.conversations.ConversationId;

/**
 * Inbound updates set aside after their last failed attempt (their conversation handed to the operators), for admins
 * to see, try again or discard: on {@code /console/inbound-failed} and with {@code inbound failed …}. What an update
 * says is never shown; the caller records each look and action in the access record.
 */
public interface SetAsideUpdates {

    /**
     * One update set aside: its internal id, its channel and endpoint (the bot or number), when it was received and
     * set aside (unknown for one set aside before that was kept), the attempts made, the class of the last failure's
     * exception (never its message), the conversation it was handed over in (none when there was nobody to hand
     * over) and whether its payload is still there to try again (retention shreds it with its day's key).
     */
    record SetAside(long id, String channel, String endpoint, Instant receivedAt, Instant setAsideAt, int attempts,
            String failure, ConversationId conversation, boolean payloadKept) {
    }

    /** What became of a retry or a discard. */
    enum Outcome {
        DONE,
        /** No update set aside has this id (never, tried again or discarded already, or removed by retention). */
        NOT_FOUND,
        /** Its payload was shredded with its day's key: there is nothing left to try again. */
        PAYLOAD_GONE
    }

    /** The most recently set aside first, at most {@code most}. */
    List<SetAside> list(int most);

    /** How many are set aside now. */
    long count();

    /**
     * Puts it back in the queue as if it had just failed for the first time: pending, its attempts and failure
     * cleared. It keeps its place (its id) in its sender's queue: it is processed before any later update of his
     * still pending, which waits behind it, and after those processed while it was set aside, which cannot be undone.
     * Set aside again while the conversation it was handed over in is still with the operators, it neither hands it
     * over again nor tells him again.
     */
    Outcome retry(long id);

    /** Shreds its payload now; its row stays, as {@code DISCARDED} and without the payload, until retention. */
    Outcome discard(long id);
}
