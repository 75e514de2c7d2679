package org.lifeline.telegram;

import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bot API updates from one person in a private chat with the bot, shaped as the documentation shows them, with
 * update ids that never repeat across test classes.
 */
public final class PrivateChatUpdates {

    private static final AtomicLong updateIds = new AtomicLong(System.currentTimeMillis() * 10);
    private static final JsonMapper json = JsonMapper.builder().build();

    private final long chat;
    private final String firstName;
    private final String languageCode;

    /** An update id no other update in this test run has: Telegram's idempotency key. */
    public static long nextUpdateId() {
        return updateIds.incrementAndGet();
    }

    public PrivateChatUpdates(long chat, String firstName, String languageCode) {
        this.chat = chat;
        this.firstName = firstName;
        this.languageCode = languageCode;
    }

    /** A {@code message} update sent now; {@code fields} is the message's content, e.g. {@code {"text":"hi"}}. */
    public ObjectNode message(String fields) {
        var update = json.createObjectNode().put("update_id", nextUpdateId());
        var message = (ObjectNode) json.readTree(fields);
        message.put("message_id", update.get("update_id").asLong() % 100_000).put("date", java.time.Instant.now().getEpochSecond());
        from(message);
        message.putObject("chat").put("id", chat).put("first_name", firstName).put("type", "private");
        update.set("message", message);
        return update;
    }

    public ObjectNode text(String text) {
        return message(json.createObjectNode().put("text", text).toString());
    }

    /** A {@code callback_query} update: the person pressed the inline button carrying {@code data}. */
    public ObjectNode press(String data) {
        var update = json.createObjectNode().put("update_id", nextUpdateId());
        var callback = update.putObject("callback_query").put("id", "cb" + update.get("update_id").asLong())
                .put("data", data).put("chat_instance", "1");
        from(callback);
        callback.putObject("message").put("message_id", 1).put("date", 1)
                .putObject("chat").put("id", chat).put("type", "private");
        return update;
    }

    private void from(ObjectNode parent) {
        parent.putObject("from").put("id", chat).put("is_bot", false).put("first_name", firstName)
                .put("language_code", languageCode);
    }
}
