package org.lifeline.whatsapp;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Webhook deliveries built from the documented samples in {@code src/test/resources/whatsapp/}, with a sender, a
 * message id and a time of the test's choosing. WhatsApp ids (phone numbers) are unique across test classes.
 */
public final class WhatsAppDeliveries {

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final AtomicLong numbers = new AtomicLong(380_500_000_000L + (System.nanoTime() % 90_000_000L) * 100);
    private static final AtomicLong messages = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private WhatsAppDeliveries() {
    }

    /** A WhatsApp id (the number in international form, digits only) no other test uses. */
    public static String newWaId() {
        return Long.toString(numbers.incrementAndGet());
    }

    public static String newWamid(String waId) {
        return "wamid.HBgM" + Base64.getEncoder().encodeToString(waId.getBytes(StandardCharsets.US_ASCII))
                + "FQIAEhgUM0E" + messages.incrementAndGet() + "AA==";
    }

    /** The named sample with its one message re-addressed: from {@code waId}, a new id, sent now. */
    public static ObjectNode message(String sample, String waId, Consumer<ObjectNode> change) {
        var delivery = (ObjectNode) WhatsAppPayloadsTests.sample(sample);
        var value = (ObjectNode) delivery.path("entry").path(0).path("changes").path(0).path("value");
        ((ObjectNode) value.path("contacts").path(0)).put("wa_id", waId);
        var message = (ObjectNode) value.path("messages").path(0);
        message.put("from", waId);
        message.put("id", newWamid(waId));
        message.put("timestamp", Long.toString(Instant.now().getEpochSecond()));
        change.accept(message);
        return delivery;
    }

    public static ObjectNode text(String waId, String body) {
        return message("text", waId, m -> ((ObjectNode) m.path("text")).put("body", body));
    }

    public static ObjectNode buttonReply(String waId, String id) {
        return message("interactive-button-reply", waId,
                m -> ((ObjectNode) m.path("interactive").path("button_reply")).put("id", id));
    }

    public static ObjectNode listReply(String waId, String id) {
        return message("interactive-list-reply", waId,
                m -> ((ObjectNode) m.path("interactive").path("list_reply")).put("id", id));
    }

    public static ObjectNode location(String waId, double latitude, double longitude) {
        return message("location", waId,
                m -> ((ObjectNode) m.path("location")).put("latitude", latitude).put("longitude", longitude));
    }

    /** A status report of our message {@code wamid}; {@code errorCode} only for {@code failed}. */
    public static ObjectNode status(String wamid, String status, String recipient, Integer errorCode) {
        return status(wamid, status, recipient, errorCode, Instant.now());
    }

    /** The same, of what happened at {@code at}. */
    public static ObjectNode status(String wamid, String status, String recipient, Integer errorCode, Instant at) {
        var delivery = (ObjectNode) WhatsAppPayloadsTests.sample(errorCode == null ? "statuses" : "status-failed");
        var report = (ObjectNode) delivery.path("entry").path(0).path("changes").path(0).path("value").path("statuses").path(0);
        report.put("id", wamid).put("status", status).put("recipient_id", recipient)
                .put("timestamp", Long.toString(at.getEpochSecond()));
        if (errorCode != null) {
            ((ObjectNode) report.path("errors").path(0)).put("code", errorCode);
        }
        return delivery;
    }

}
