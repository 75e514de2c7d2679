package org.lifeline.whatsapp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.lifeline.channels.ChannelInput;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads webhook deliveries as Meta documents them
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples): an object
 * {@code whatsapp_business_account} with entries, each with changes, each change's {@code value} holding
 * {@code messages} (with the senders' {@code contacts}) or {@code statuses} of messages we sent.
 */
final class WhatsAppPayloads {

    private WhatsAppPayloads() {
    }

    /** One thing out of a delivery. */
    sealed interface Item {

        /** Its own time, seconds since 1970 (Meta's {@code timestamp}); 0 when it gives none. */
        long timestamp();
    }

    /**
     * One message, as its own payload of the same documented shape (the delivery narrowed to this message and its
     * sender's contact), so that each is stored, deduplicated and processed on its own.
     */
    record Message(String waId, String wamid, long timestamp, String payload) implements Item {
    }

    /** What happened to a message we sent: {@code sent}, {@code delivered}, {@code read}, {@code failed}. */
    record Status(String wamid, String status, String errorCode, String recipientId, long timestamp) implements Item {
    }

    /** Whether this is a delivery at all: anything else is answered 400. */
    static boolean wellFormed(JsonNode delivery) {
        return delivery != null && delivery.isObject()
                && "whatsapp_business_account".equals(delivery.path("object").asString(""))
                && delivery.path("entry").isArray();
    }

    /** The messages and statuses for this phone number id; changes of other numbers or other fields are left out. */
    static List<Item> split(JsonMapper json, JsonNode delivery, String phoneNumberId) {
        var items = new ArrayList<Item>();
        for (var entry : delivery.path("entry")) {
            for (var change : entry.path("changes")) {
                var value = change.path("value");
                if (!"messages".equals(change.path("field").asString(""))
                        || !phoneNumberId.equals(value.path("metadata").path("phone_number_id").asString(""))) {
                    continue;
                }
                for (var message : value.path("messages")) {
                    var from = text(message.path("from"));
                    var id = text(message.path("id"));
                    if (from == null || id == null) {
                        continue;
                    }
                    items.add(new Message(from, id, message.path("timestamp").asLong(0),
                            json.writeValueAsString(narrow(json, delivery, entry, change, value, message, from))));
                }
                for (var status : value.path("statuses")) {
                    var id = text(status.path("id"));
                    var state = text(status.path("status"));
                    if (id == null || state == null) {
                        continue;
                    }
                    var code = status.path("errors").path(0).path("code");
                    items.add(new Status(id, state, code.isMissingNode() ? null : code.asString(),
                            text(status.path("recipient_id")), status.path("timestamp").asLong(0)));
                }
            }
        }
        return items;
    }

    private static ObjectNode narrow(JsonMapper json, JsonNode delivery, JsonNode entry, JsonNode change,
            JsonNode value, JsonNode message, String from) {
        var one = json.createObjectNode();
        one.put("object", delivery.path("object").asString());
        var narrowedEntry = one.putArray("entry").addObject();
        narrowedEntry.put("id", entry.path("id").asString(""));
        var narrowedChange = narrowedEntry.putArray("changes").addObject();
        var narrowedValue = narrowedChange.putObject("value");
        narrowedValue.put("messaging_product", value.path("messaging_product").asString("whatsapp"));
        narrowedValue.set("metadata", value.path("metadata"));
        // the sender's contact without his profile name: it is never read, and may not be kept, not even encrypted
        // for the days a raw update and its day key wait
        narrowedValue.putArray("contacts").addObject().put("wa_id", from);
        var kept = kept(json, message);
        narrowedValue.putArray("messages").add(kept);
        narrowedChange.put("field", change.path("field").asString());
        return one;
    }

    /**
     * Of a message, only what {@link #interpret} reads: whatever else Meta sends (the identity key's hash, which is a
     * device fingerprint; whom a quoted message came from; the ad he came from; a place's name and address; a file's
     * hash; the names on a contact card; every type never read) is not kept, not even encrypted for the days a raw
     * update and its day key wait.
     */
    private static ObjectNode kept(JsonMapper json, JsonNode message) {
        var kept = json.createObjectNode();
        for (var field : new String[] {"from", "id", "timestamp", "type"}) {
            copy(message, kept, field);
        }
        switch (message.path("type").asString("")) {
            case "text" -> copy(message, kept, "text", "body");
            case "interactive" -> {
                copy(message, kept, "interactive", "type");
                copy(message, kept, "interactive", "button_reply", "id");
                copy(message, kept, "interactive", "list_reply", "id");
            }
            case "button" -> copy(message, kept, "button", "text");
            case "location" -> {
                copy(message, kept, "location", "latitude");
                copy(message, kept, "location", "longitude");
            }
            case "contacts" -> {
                var phone = message.path("contacts").path(0).path("phones").path(0).path("phone");
                if (phone.isValueNode()) {
                    kept.putArray("contacts").addObject().putArray("phones").addObject().set("phone", phone);
                }
            }
            case "image" -> {
                copy(message, kept, "image", "id");
                copy(message, kept, "image", "caption");
            }
            case "audio" -> copy(message, kept, "audio", "id");
            default -> {
                // read as nothing: its type says so
            }
        }
        return kept;
    }

    /** Copies the value at {@code path} (a number, text or boolean, never an object) into the same place in {@code to}. */
    private static void copy(JsonNode from, ObjectNode to, String... path) {
        var value = from;
        for (var name : path) {
            value = value.path(name);
        }
        if (!value.isValueNode()) {
            return;
        }
        var target = to;
        for (var i = 0; i < path.length - 1; i++) {
            target = target.has(path[i]) ? (ObjectNode) target.get(path[i]) : target.putObject(path[i]);
        }
        target.set(path[path.length - 1], value);
    }

    /** The single message of a stored payload. */
    static JsonNode message(JsonNode stored) {
        return stored.path("entry").path(0).path("changes").path(0).path("value").path("messages").path(0);
    }

    /**
     * What the message means to a conversation.
     *
     * @param ref turns a wamid into the id kept with the message (the wamid itself encodes the phone number)
     * @param language the language hint for a message's text (only a new contact's first message sets it)
     */
    static ChannelInput interpret(JsonNode message, Function<String, String> ref, Function<String, String> language) {
        var sender = text(message.path("from"));
        var wamid = text(message.path("id"));
        if (sender == null || wamid == null) {
            return new ChannelInput.Ignored("not a message");
        }
        var id = ref.apply(wamid);
        var type = message.path("type").asString("");
        return switch (type) {
            case "text" -> {
                var body = text(message.path("text").path("body"));
                yield body == null ? new ChannelInput.Ignored("text without body")
                        : new ChannelInput.Text(sender, language.apply(body), body, id);
            }
            case "interactive" -> {
                var interactive = message.path("interactive");
                var reply = switch (interactive.path("type").asString("")) {
                    case "button_reply" -> interactive.path("button_reply");
                    case "list_reply" -> interactive.path("list_reply");
                    default -> null;
                };
                var choice = reply == null ? null : text(reply.path("id"));
                yield choice == null ? new ChannelInput.Ignored("interactive reply not used")
                        : new ChannelInput.Choice(sender, language.apply(null), choice, id);
            }
            // a quick-reply button of a template: its text is what he said
            case "button" -> {
                var label = text(message.path("button").path("text"));
                yield label == null ? new ChannelInput.Ignored("button without text")
                        : new ChannelInput.Text(sender, language.apply(label), label, id);
            }
            case "location" -> {
                var location = message.path("location");
                yield location.path("latitude").isNumber() && location.path("longitude").isNumber()
                        ? new ChannelInput.Location(sender, language.apply(null), location.path("latitude").asDouble(),
                                location.path("longitude").asDouble(), id)
                        : new ChannelInput.Ignored("location without coordinates");
            }
            case "contacts" -> {
                var phone = text(message.path("contacts").path(0).path("phones").path(0).path("phone"));
                yield phone == null ? new ChannelInput.Ignored("contact card without a phone")
                        : new ChannelInput.ContactCard(sender, language.apply(null), phone, id);
            }
            case "image" -> {
                var media = text(message.path("image").path("id"));
                yield media == null ? new ChannelInput.Ignored("image without media id")
                        : new ChannelInput.Photo(sender, language.apply(null), media,
                                text(message.path("image").path("caption")), id);
            }
            case "audio" -> {
                var media = text(message.path("audio").path("id"));
                yield media == null ? new ChannelInput.Ignored("audio without media id")
                        : new ChannelInput.Voice(sender, language.apply(null), media, id);
            }
            case "reaction" -> new ChannelInput.Ignored("reaction");
            default -> new ChannelInput.Ignored("message type not used");
        };
    }

    private static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : node.asString();
    }
}
