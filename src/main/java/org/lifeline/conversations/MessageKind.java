package org.lifeline.conversations;

/**
 * What a message is, stored in plaintext next to it (it says nothing about the person); what it carries is in
 * {@link MessageContent}, encrypted like any body.
 */
public enum MessageKind {
    TEXT(MessageContent.Text.class),
    START(MessageContent.Start.class),
    CHOICE(MessageContent.Choice.class),
    LOCATION(MessageContent.Location.class),
    CONTACT(MessageContent.ContactCard.class),
    PHOTO(MessageContent.Photo.class),
    VOICE(MessageContent.Voice.class),
    CALL(MessageContent.Call.class),
    VOICEMAIL(MessageContent.Voicemail.class),
    CALLBACK(MessageContent.CallbackRequest.class);

    private final Class<? extends MessageContent> type;

    MessageKind(Class<? extends MessageContent> type) {
        this.type = type;
    }

    Class<? extends MessageContent> type() {
        return type;
    }

    static MessageKind of(MessageContent content) {
        for (var kind : values()) {
            if (kind.type == content.getClass()) {
                return kind;
            }
        }
        throw new IllegalStateException("No kind for " + content.getClass().getSimpleName());
    }
}
