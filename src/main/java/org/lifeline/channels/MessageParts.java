package org.lifeline.channels;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits what is too long for one message of a channel into several, in order: at line breaks, else at spaces, else
 * anywhere (never inside a character). The earlier parts are plain text (notices stay notices); the last keeps the
 * buttons or the location request, so that they come under the end of the question. Lengths are UTF-16 units, as
 * {@link String#length()} counts them: never fewer than the characters (code points) a channel may count instead.
 */
public final class MessageParts {

    private MessageParts() {
    }

    public static List<OutboundContent> split(OutboundContent content, int max) {
        var texts = split(content.text(), max);
        if (texts.size() == 1) {
            return List.of(content);
        }
        var parts = new ArrayList<OutboundContent>();
        for (var text : texts.subList(0, texts.size() - 1)) {
            parts.add(content instanceof OutboundContent.Notice ? new OutboundContent.Notice(text) : new OutboundContent.Text(text));
        }
        var last = texts.getLast();
        parts.add(switch (content) {
            case OutboundContent.Text text -> new OutboundContent.Text(last);
            case OutboundContent.Notice notice -> new OutboundContent.Notice(last);
            case OutboundContent.Choices choices -> new OutboundContent.Choices(last, choices.choices());
            case OutboundContent.LocationRequest location -> new OutboundContent.LocationRequest(last, location.buttonLabel());
        });
        return parts;
    }

    /** Pieces of at most {@code max} UTF-16 units (so at most as many characters), none blank unless the text is. */
    public static List<String> split(String text, int max) {
        var parts = new ArrayList<String>();
        var rest = text;
        while (rest.length() > max) {
            var cut = rest.lastIndexOf('\n', max);
            if (cut <= 0) {
                cut = rest.lastIndexOf(' ', max);
            }
            if (cut <= 0) {
                cut = Character.isHighSurrogate(rest.charAt(max - 1)) ? max - 1 : max;
            }
            var part = rest.substring(0, cut).stripTrailing();
            if (!part.isEmpty()) {
                parts.add(part);
            }
            rest = rest.substring(cut).stripLeading();
        }
        if (parts.isEmpty() || !rest.isEmpty()) {
            parts.add(rest);
        }
        return parts;
    }
}
