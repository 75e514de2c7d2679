package org.lifeline.conversations;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.json.JsonMapper;

/**
 * How a message's content is kept inside its encrypted body: a text as itself, every other kind as a JSON object
 * of its fields. Rows recorded before messages had kinds carry marks in their text ({@code "[choice] id"}); the
 * migration cannot read them (the bodies are encrypted), so they are parsed here, the one place that knows those
 * marks.
 */
final class MessageContents {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Pattern START = Pattern.compile("/start(?: (.+))?", Pattern.DOTALL);
    private static final Pattern CHOICE = Pattern.compile("\\[choice] (.+)", Pattern.DOTALL);
    private static final Pattern LOCATION = Pattern.compile("\\[location] (-?[0-9.]+), (-?[0-9.]+)");
    private static final Pattern CONTACT = Pattern.compile("\\[contact] (.*)", Pattern.DOTALL);
    private static final Pattern PHOTO = Pattern.compile("\\[photo](?:\n(.*))?", Pattern.DOTALL);
    private static final Pattern CALL = Pattern.compile("\\[call] (.*)");
    private static final Pattern ANSWERED = Pattern.compile("\\[call answered] (?:(.+), )?(\\?|[0-9]+) s");
    private static final Pattern NOT_ANSWERED = Pattern.compile("\\[call not answered] (.*)");
    private static final Pattern ENDED = Pattern.compile("\\[call ended] (.*), (\\?|[0-9]+) s");
    private static final Pattern VOICEMAIL = Pattern.compile("\\[voicemail] (\\?|[0-9]+) s");
    private static final Pattern CALLBACK = Pattern.compile("\\[callback requested] (.*)");

    private MessageContents() {
    }

    static String write(MessageContent content) {
        return content instanceof MessageContent.Text text ? text.text() : JSON.writeValueAsString(content);
    }

    /** {@code kind} null: a row from before kinds, read from the marks in its text. */
    static MessageContent read(MessageKind kind, String stored) {
        if (kind == null) {
            return legacy(stored);
        }
        return kind == MessageKind.TEXT ? new MessageContent.Text(stored) : JSON.readValue(stored, kind.type());
    }

    static MessageContent legacy(String body) {
        Matcher m;
        if (body.equals("[voice]")) {
            return new MessageContent.Voice();
        }
        if ((m = START.matcher(body)).matches()) {
            return new MessageContent.Start(m.group(1));
        }
        if ((m = CHOICE.matcher(body)).matches()) {
            return new MessageContent.Choice(m.group(1));
        }
        if ((m = LOCATION.matcher(body)).matches()) {
            return new MessageContent.Location(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
        }
        if ((m = CONTACT.matcher(body)).matches()) {
            return new MessageContent.ContactCard(m.group(1));
        }
        if ((m = PHOTO.matcher(body)).matches()) {
            return new MessageContent.Photo(m.group(1));
        }
        if ((m = CALL.matcher(body)).matches()) {
            return new MessageContent.Call(MessageContent.CallEvent.RANG, m.group(1), null, null, null);
        }
        if ((m = ANSWERED.matcher(body)).matches()) {
            return new MessageContent.Call(MessageContent.CallEvent.ANSWERED, null, m.group(1), null, seconds(m.group(2)));
        }
        if ((m = NOT_ANSWERED.matcher(body)).matches()) {
            return new MessageContent.Call(MessageContent.CallEvent.NOT_ANSWERED, null, null, m.group(1), null);
        }
        if ((m = ENDED.matcher(body)).matches()) {
            return new MessageContent.Call(MessageContent.CallEvent.ENDED, null, null, blankToNull(m.group(1)),
                    seconds(m.group(2)));
        }
        if ((m = VOICEMAIL.matcher(body)).matches()) {
            return new MessageContent.Voicemail(seconds(m.group(1)));
        }
        if ((m = CALLBACK.matcher(body)).matches()) {
            return new MessageContent.CallbackRequest(m.group(1));
        }
        return new MessageContent.Text(body);
    }

    private static Integer seconds(String value) {
        return value.equals("?") ? null : Integer.valueOf(value);
    }

    private static String blankToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
