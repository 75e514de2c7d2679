package org.lifeline.conversations;

import java.util.Objects;

/**
 * What a message carries, by kind: pages render it from these fields, never by reading marks in a text. Every
 * field may be personal (a location, a phone number, a caption), so all of it is stored encrypted.
 */
public sealed interface MessageContent {

    /** The kind this content is of: each kind has one record type. */
    default MessageKind kind() {
        return MessageKind.of(this);
    }

    /** What he wrote or we said; {@code null} for kinds that carry no text of their own. */
    default String text() {
        return null;
    }

    record Text(String text) implements MessageContent {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** He started (or restarted) the conversation, through a link with an entry code or none. */
    record Start(String entryCode) implements MessageContent {
    }

    /** He chose one of the choices offered, by its stable id (a button, a list row, a numbered option). */
    record Choice(String choiceId) implements MessageContent {
        public Choice {
            Objects.requireNonNull(choiceId, "choiceId");
        }
    }

    record Location(double latitude, double longitude) implements MessageContent {
    }

    /** He shared a phone contact card. */
    record ContactCard(String phoneNumber) implements MessageContent {
    }

    /** A photo, kept as the message's attachment, with his caption or none. */
    record Photo(String caption) implements MessageContent {
        @Override
        public String text() {
            return caption;
        }
    }

    /** A voice note, kept as the message's attachment. */
    record Voice() implements MessageContent {
    }

    /**
     * Something that happened on a phone call, for the operators: it rang on our {@code line}, an {@code operator}
     * (user name) answered, nobody answered ({@code status} says why) or it ended; {@code seconds} where known.
     */
    record Call(CallEvent event, String line, String operator, String status, Integer seconds)
            implements MessageContent {
        public Call {
            Objects.requireNonNull(event, "event");
        }
    }

    enum CallEvent {
        RANG, ANSWERED, NOT_ANSWERED, ENDED
    }

    /** A recording he left, kept as the message's attachment; {@code seconds} where known. */
    record Voicemail(Integer seconds) implements MessageContent {
    }

    /** He asked to be called back, about a surrender ({@code surrender}) or a missing relative ({@code family}). */
    record CallbackRequest(String about) implements MessageContent {
    }
}
