package org.lifeline.channels;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a channel reads a JSON webhook body and the payload it stored from one: strictly, so that a key given twice
 * (two {@code update_id}, two {@code text} in one message) is refused as malformed rather than read as its last
 * value. What reads such a body differently (first value, or both) would see another update than the one stored.
 * The stored payloads are written from the tree read here, so they hold no key twice; processing reads them the same
 * way all the same.
 */
public final class WebhookJson {

    private WebhookJson() {
    }

    /** The body as a tree; a {@link tools.jackson.core.JacksonException} for what is not JSON or gives a key twice. */
    public static JsonNode read(JsonMapper json, byte[] body) {
        return strict(json).readTree(body);
    }

    /** A stored payload, read as its body was. */
    public static JsonNode read(JsonMapper json, String payload) {
        return strict(json).readTree(payload);
    }

    private static ObjectReader strict(JsonMapper json) {
        return json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }
}
