package org.lifeline.telephony;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes TwiML (https://www.twilio.com/docs/voice/twiml): a {@code <Response>} of verbs with their attributes,
 * text escaped. Which verbs nest in which is the callers' business; tests check every document against the
 * documented verbs, attributes and nesting.
 */
final class Twiml {

    private final StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>");
    private boolean done;

    /** An element with text (or none), e.g. {@code <Say voice="…">text</Say>}. */
    Twiml verb(String name, Map<String, String> attributes, String text) {
        start(name, attributes);
        if (text == null) {
            xml.setLength(xml.length() - 1);
            xml.append("/>");
            return this;
        }
        xml.append(escape(text)).append("</").append(name).append('>');
        return this;
    }

    /** Opens an element whose children follow ({@code <Gather>}, {@code <Dial>}); {@link #close} ends it. */
    Twiml open(String name, Map<String, String> attributes) {
        start(name, attributes);
        return this;
    }

    Twiml close(String name) {
        xml.append("</").append(name).append('>');
        return this;
    }

    String build() {
        if (!done) {
            xml.append("</Response>");
            done = true;
        }
        return xml.toString();
    }

    /** Attributes in the order given. */
    static Map<String, String> attributes(String... namesAndValues) {
        var attributes = new LinkedHashMap<String, String>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            attributes.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return attributes;
    }

    private void start(String name, Map<String, String> attributes) {
        xml.append('<').append(name);
        attributes.forEach((attribute, value) -> xml.append(' ').append(attribute).append("=\"").append(escape(value)).append('"'));
        xml.append('>');
    }

    private static String escape(String text) {
        var escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            var c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
