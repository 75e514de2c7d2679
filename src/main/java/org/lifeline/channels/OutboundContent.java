package org.lifeline.channels;

import java.util.List;

/** What Lifeline says to a requester, independent of any channel; each adapter renders it its own way. */
public sealed interface OutboundContent {

    String text();

    /** Plain text. */
    record Text(String text) implements OutboundContent {
    }

    /**
     * Something said unasked (a reminder, an expiry notice): sent silently where the channel can, because a phone
     * that suddenly buzzes can give away a hidden requester. Only Telegram can ({@code disable_notification}: a
     * notification without sound); WhatsApp and SMS have no silent send and deliver it as plain text.
     */
    record Notice(String text) implements OutboundContent {
    }

    /** A question with choices: buttons where the channel has them, numbered options where it does not. */
    record Choices(String text, List<Choice> choices) implements OutboundContent {
        public Choices {
            choices = List.copyOf(choices);
        }
    }

    /** A question asking the requester to share a location (a button where the channel has one). */
    record LocationRequest(String text, String buttonLabel) implements OutboundContent {
    }

    /** One choice: a stable id that comes back when chosen, and the label shown. */
    record Choice(String id, String label) {
    }
}
