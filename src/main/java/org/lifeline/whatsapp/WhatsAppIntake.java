package org.lifeline.whatsapp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.lifeline.channels.ChannelIntake;
import org.lifeline.channels.WebhookJson;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Takes webhook deliveries from Meta: checks the signature over the raw bytes, then stores every message on its
 * own (idempotent per message id, through the same intake as every channel) and every status report, before the
 * webhook answers.
 */
@Component
public class WhatsAppIntake {

    /** Deliveries are small; anything larger is not from Meta. */
    public static final int MAX_DELIVERY_BYTES = 1 << 20;
    static final String SIGNATURE_PREFIX = "sha256=";
    private static final int SIGNATURE_BYTES = 32;

    private final WhatsAppSettings settings;
    private final ChannelIntake intake;
    private final WhatsAppAdapter adapter;
    private final WhatsAppWindows windows;
    private final WhatsAppReports reports;
    private final JsonMapper json;

    WhatsAppIntake(WhatsAppSettings settings, ChannelIntake intake, WhatsAppAdapter adapter, WhatsAppWindows windows,
            WhatsAppReports reports, JsonMapper json) {
        this.settings = settings;
        this.intake = intake;
        this.adapter = adapter;
        this.windows = windows;
        this.reports = reports;
        this.json = json;
    }

    public enum Result { STORED, NOT_CONFIGURED, WRONG_SIGNATURE, MALFORMED, TOO_LARGE }

    public enum Verification { ACCEPTED, NOT_CONFIGURED, REFUSED }

    /**
     * Meta's subscription handshake: {@code hub.mode=subscribe} and our verify token (compared in constant time).
     * The challenge is echoed only if it looks like one, never arbitrary text.
     */
    public Verification verify(String mode, String token, String challenge) {
        if (!settings.enabled()) {
            return Verification.NOT_CONFIGURED;
        }
        var tokenMatches = token != null && MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), settings.verifyToken().getBytes(StandardCharsets.UTF_8));
        var ok = tokenMatches && "subscribe".equals(mode) && challenge != null && challenge.matches("[A-Za-z0-9_-]{1,128}");
        return ok ? Verification.ACCEPTED : Verification.REFUSED;
    }

    /**
     * What a delivery is answered before its body is read, if anything: 404 while the channel is off, and a refusal
     * for a request without a signature of the right form, which no body can make right (so that a sender without
     * one holds neither a thread nor a megabyte while he sends it, and is refused as Telegram's webhook refuses a
     * wrong secret). A signature of the right form is checked once the body is read, within the limit.
     */
    public Optional<Result> refusedUnread(String signatureHeader) {
        if (!settings.enabled()) {
            return Optional.of(Result.NOT_CONFIGURED);
        }
        return signature(signatureHeader) == null ? Optional.of(Result.WRONG_SIGNATURE) : Optional.empty();
    }

    /** A delivery: nothing is read or stored unless {@code X-Hub-Signature-256} is right for these exact bytes. */
    public Result webhook(String signatureHeader, byte[] body) {
        if (!settings.enabled()) {
            return Result.NOT_CONFIGURED;
        }
        if (body != null && body.length > MAX_DELIVERY_BYTES) {
            return Result.TOO_LARGE;
        }
        if (body == null || !signedByMeta(signatureHeader, body)) {
            return Result.WRONG_SIGNATURE;
        }
        JsonNode delivery;
        try {
            delivery = WebhookJson.read(json, body);
        } catch (JacksonException e) {
            return Result.MALFORMED;
        }
        if (!WhatsAppPayloads.wellFormed(delivery)) {
            return Result.MALFORMED;
        }
        var endpoint = settings.phoneNumberId();
        for (var item : WhatsAppPayloads.split(json, delivery, endpoint)) {
            // older than its duplicate is remembered: it may have been taken before (the signature covers no time of
            // delivery), and a replay must not count twice; acknowledged with the rest, nothing of it kept
            if (item.timestamp() > 0 && intake.tooOld(item.timestamp())) {
                continue;
            }
            switch (item) {
                case WhatsAppPayloads.Message m -> {
                    // the window first: if storing fails, Meta delivers again and nothing is lost either way
                    // (a time past any an Instant holds counts as now, as any time to come does: a message with it
                    // must not fail the delivery, which Meta would then deliver again for days)
                    if (m.timestamp() > 0) {
                        windows.inbound(windows.contactRef(endpoint, m.waId()),
                                Instant.ofEpochSecond(Math.min(m.timestamp(), Instant.MAX.getEpochSecond())));
                    }
                    intake.accept(WhatsAppAdapter.TYPE, endpoint, "m:" + adapter.ref(m.wamid()), m.waId(), m.payload(),
                            settings.inboundPerSenderPerMinute());
                }
                case WhatsAppPayloads.Status s -> reports.record(adapter.ref(s.wamid()), s.status(), s.errorCode(),
                        s.recipientId() == null ? null : windows.contactRef(endpoint, s.recipientId()));
            }
        }
        return Result.STORED;
    }

    /** The HMAC-SHA256 a header gives, or null if it gives none (Meta's form: {@code sha256=} and 64 hex digits). */
    private static byte[] signature(String header) {
        if (header == null || !header.startsWith(SIGNATURE_PREFIX)
                || header.length() != SIGNATURE_PREFIX.length() + 2 * SIGNATURE_BYTES) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(header.substring(SIGNATURE_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private boolean signedByMeta(String header, byte[] body) {
        var given = signature(header);
        if (given == null) {
            return false;
        }
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(settings.appSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return MessageDigest.isEqual(mac.doFinal(body), given);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
