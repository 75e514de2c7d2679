package org.lifeline.telegram;

import java.util.OptionalLong;

import org.lifeline.channels.ChannelInput;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads Bot API {@code Update} objects as documented (https://core.telegram.org/bots/api#update). Only private
 * chats concern Lifeline; every other update is acknowledged and ignored.
 */
final class TelegramUpdates {

    private TelegramUpdates() {
    }

    /** The chat an update belongs to, for ordering and flood limits; a constant for updates without one. */
    static String senderOf(JsonNode update) {
        for (var field : new String[] {"message", "edited_message", "my_chat_member"}) {
            var chat = update.path(field).path("chat").path("id");
            if (chat.isIntegralNumber()) {
                return chat.asString();
            }
        }
        var callbackChat = update.path("callback_query").path("message").path("chat").path("id");
        if (callbackChat.isIntegralNumber()) {
            return callbackChat.asString();
        }
        var from = update.path("callback_query").path("from").path("id");
        return from.isIntegralNumber() ? from.asString() : "-";
    }

    /**
     * The id of the button press an update is, which {@code answerCallbackQuery} takes to stop the button's spinner;
     * null for any other update, and for an id that is not a string (Telegram's always is) or is longer than
     * {@link #MAX_CALLBACK_ID} (Telegram's have about twenty characters): a webhook's answer echoes nothing large.
     */
    static String callbackQueryId(JsonNode update) {
        var id = update.path("callback_query").path("id");
        if (!id.isString()) {
            return null;
        }
        var value = id.asString();
        return value.isEmpty() || value.length() > MAX_CALLBACK_ID ? null : value;
    }

    /** The longest callback query id answered. */
    static final int MAX_CALLBACK_ID = 256;

    /** Where an update gives its own time: a message's sending, an edit's, a membership change's. */
    private static final String[][] OWN_TIME = {{"message", "date"}, {"edited_message", "edit_date"},
            {"edited_message", "date"}, {"my_chat_member", "date"}};

    /**
     * The update's own time, seconds since 1970, if it gives one. A pressed button gives none: its message's
     * {@code date} is when that message was sent, which may be any time before the press (and is 0 for a message
     * too old for the bot to see).
     */
    static OptionalLong sentAt(JsonNode update) {
        for (var path : OWN_TIME) {
            var time = update.path(path[0]).path(path[1]);
            if (time.isIntegralNumber() && time.canConvertToLong()) {
                return OptionalLong.of(time.asLong());
            }
        }
        return OptionalLong.empty();
    }

    /** What {@link #essentials} keeps of a message (or an edited one), as dotted paths. */
    private static final String[] MESSAGE = {"message_id", "chat.id", "chat.type", "from.id", "from.language_code",
            "text", "caption", "location.latitude", "location.longitude", "contact.phone_number"};

    /** What it keeps of a pressed button. */
    private static final String[] CALLBACK = {"id", "data", "from.id", "from.language_code", "message.message_id",
            "message.chat.id", "message.chat.type"};

    /** What it keeps of a change to the bot's membership in a chat (blocked, unblocked). */
    private static final String[] MEMBERSHIP = {"chat.id", "chat.type", "from.id", "from.language_code",
            "new_chat_member.status"};

    /**
     * The update as stored until it is processed: only what {@link #interpret}, {@link #senderOf} and the adapter's
     * acknowledgement read. The Bot API sends with every message the sender's first and last name and user name,
     * the same of the chat, and whatever he forwarded or replied to; none of it is ever used, and none of it may be
     * kept, not even encrypted for the days a raw update and its day key wait (a copy can outlive its row in the
     * database file's free space). Reads the same as the whole update: {@code interpret(essentials(u))} equals
     * {@code interpret(u)}.
     */
    static ObjectNode essentials(JsonNode update) {
        var kept = JsonNodeFactory.instance.objectNode();
        kept.set("update_id", update.get("update_id"));
        for (var field : new String[] {"message", "edited_message"}) {
            if (update.path(field).isObject()) {
                var message = update.get(field);
                var into = kept.putObject(field);
                copy(message, into, MESSAGE);
                var photo = message.path("photo");
                if (photo.isArray() && !photo.isEmpty()) {
                    // sizes come smallest first: the largest is the one read
                    into.putArray("photo").addObject().set("file_id", photo.get(photo.size() - 1).get("file_id"));
                }
            }
        }
        if (update.path("callback_query").isObject()) {
            copy(update.get("callback_query"), kept.putObject("callback_query"), CALLBACK);
        }
        if (update.path("my_chat_member").isObject()) {
            copy(update.get("my_chat_member"), kept.putObject("my_chat_member"), MEMBERSHIP);
        }
        return kept;
    }

    /** Copies the values at {@code paths} (dotted) from {@code from} into {@code to}, where they are present. */
    private static void copy(JsonNode from, ObjectNode to, String... paths) {
        for (var path : paths) {
            var steps = path.split("\\.");
            var value = from;
            for (var step : steps) {
                value = value.path(step);
            }
            if (value.isMissingNode() || value.isContainer()) {
                continue;
            }
            var target = to;
            for (int i = 0; i < steps.length - 1; i++) {
                target = target.has(steps[i]) && target.get(steps[i]).isObject()
                        ? (ObjectNode) target.get(steps[i]) : target.putObject(steps[i]);
            }
            target.set(steps[steps.length - 1], value);
        }
    }

    static ChannelInput interpret(JsonNode update) {
        if (update.has("message")) {
            return message(update.get("message"));
        }
        if (update.has("callback_query")) {
            return callback(update.get("callback_query"));
        }
        if (update.has("my_chat_member")) {
            return membership(update.get("my_chat_member"));
        }
        if (update.has("edited_message")) {
            return new ChannelInput.Ignored("edited message");
        }
        return new ChannelInput.Ignored("update type not used");
    }

    private static ChannelInput message(JsonNode message) {
        var chat = message.path("chat");
        if (!"private".equals(chat.path("type").asString(""))) {
            return new ChannelInput.Ignored("not a private chat");
        }
        var sender = id(chat.path("id"));
        if (sender == null) {
            return NOT_AN_ID;
        }
        var language = text(message.path("from").path("language_code"));
        var messageId = text(message.path("message_id"));
        if (message.has("text")) {
            var text = message.get("text").asString();
            if (text.equals("/start") || text.startsWith("/start ")) {
                var payload = text.length() > 7 ? text.substring(7).trim() : null;
                return new ChannelInput.Start(sender, language, payload == null || payload.isEmpty() ? null : payload, messageId);
            }
            return new ChannelInput.Text(sender, language, text, messageId);
        }
        if (message.has("location")) {
            var location = message.get("location");
            return new ChannelInput.Location(sender, language, location.path("latitude").asDouble(),
                    location.path("longitude").asDouble(), messageId);
        }
        if (message.has("contact")) {
            return new ChannelInput.ContactCard(sender, language, text(message.get("contact").path("phone_number")), messageId);
        }
        if (message.has("photo") && message.get("photo").isArray() && !message.get("photo").isEmpty()) {
            var sizes = message.get("photo");
            // sizes come smallest first; keep the largest
            var largest = sizes.get(sizes.size() - 1);
            return new ChannelInput.Photo(sender, language, text(largest.path("file_id")), text(message.path("caption")), messageId);
        }
        return new ChannelInput.Ignored("message kind not used");
    }

    private static ChannelInput callback(JsonNode callback) {
        var chat = callback.path("message").path("chat");
        if (chat.has("type") && !"private".equals(chat.path("type").asString(""))) {
            return new ChannelInput.Ignored("not a private chat");
        }
        var sender = chat.path("id").isIntegralNumber() ? id(chat.path("id")) : id(callback.path("from").path("id"));
        if (sender == null) {
            return NOT_AN_ID;
        }
        var data = text(callback.path("data"));
        if (data == null) {
            return new ChannelInput.Ignored("callback without data");
        }
        return new ChannelInput.Choice(sender, text(callback.path("from").path("language_code")), data,
                text(callback.path("message").path("message_id")));
    }

    private static ChannelInput membership(JsonNode update) {
        var chat = update.path("chat");
        if (!"private".equals(chat.path("type").asString(""))) {
            return new ChannelInput.Ignored("not a private chat");
        }
        var sender = id(chat.path("id"));
        if (sender == null) {
            return NOT_AN_ID;
        }
        var language = text(update.path("from").path("language_code"));
        return switch (update.path("new_chat_member").path("status").asString("")) {
            case "kicked" -> new ChannelInput.Blocked(sender, language);
            case "member" -> new ChannelInput.Unblocked(sender, language);
            default -> new ChannelInput.Ignored("membership change not used");
        };
    }

    /**
     * Telegram's chat and user ids are integers of at most 52 bits; anything else (a string, a fraction, a number
     * past 64 bits) is not from Telegram, and no answer could ever be sent to it.
     */
    private static final ChannelInput NOT_AN_ID = new ChannelInput.Ignored("chat id not an integer");

    /** The id as a decimal integer, or null when it is not one that fits 64 bits. */
    private static String id(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToLong() ? Long.toString(node.asLong()) : null;
    }

    private static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : node.asString();
    }
}
