package org.lifeline.telephony;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.twilio.security.RequestValidator;
import org.springframework.stereotype.Component;

/**
 * Reads the provider's webhook requests (form-encoded POSTs) and checks {@code X-Twilio-Signature} with Twilio's own
 * validator: HMAC-SHA1, keyed with the auth token, of the full URL the provider called followed by every POST
 * parameter's name and value in name order. The URL is the configured public URL plus the path and query: behind a
 * proxy, a tunnel or an onion service the Host header says nothing the provider signed, and is never trusted.
 */
@Component
public class TwilioRequests {

    /** Webhook requests are small; anything larger is not from the provider. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    private static final int SIGNATURE_BYTES = 20;
    private static final int SIGNATURE_BASE64_LENGTH = 28;

    private final TelephonySettings settings;
    private final RequestValidator validator;

    TwilioRequests(TelephonySettings settings) {
        this.settings = settings;
        this.validator = settings.enabled() ? new RequestValidator(settings.authToken()) : null;
    }

    /** One request as received: its path, raw query (or null) and body. */
    public record Received(String path, String rawQuery, String signature, byte[] body) {
    }

    /** A request whose signature was right: its POST parameters. */
    public record Signed(Map<String, String> parameters, Map<String, String> query, String rawBody) {

        String get(String name) {
            return parameters.get(name);
        }
    }

    /** Thrown for a body that is not a form: answered 400, nothing stored. */
    public static final class Malformed extends RuntimeException {
        Malformed() {
            super("not a form-encoded request", null, false, false);
        }
    }

    /**
     * The request's parameters if the signature is right for this account, the configured public URL and these
     * exact parameters; empty otherwise (or when the channel is off).
     *
     * @throws Malformed when the body is not a form
     */
    public Optional<Signed> verify(Received request) {
        if (validator == null || request.signature() == null || request.signature().isBlank()) {
            return Optional.empty();
        }
        var raw = new String(request.body(), StandardCharsets.UTF_8);
        var parameters = parse(raw);
        var url = settings.publicUrl(request.path()) + (request.rawQuery() == null ? "" : "?" + request.rawQuery());
        if (!validator.validate(url, parameters, request.signature())) {
            return Optional.empty();
        }
        if (!settings.accountSid().equals(parameters.get("AccountSid"))) {
            // signed with our token but for another account: a configuration error, not ours to act on
            return Optional.empty();
        }
        var query = request.rawQuery() == null ? Map.<String, String>of() : parse(request.rawQuery());
        return Optional.of(new Signed(parameters, query, raw));
    }

    /**
     * Whether a header has the form of Twilio's signature (Base64 of an HMAC-SHA1, 20 bytes), asked before the body
     * is read: a request without one can never be verified, and is refused unread.
     */
    public static boolean mayBeSigned(String signature) {
        if (signature == null || signature.length() != SIGNATURE_BASE64_LENGTH) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(signature).length == SIGNATURE_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code application/x-www-form-urlencoded}, UTF-8. A name given twice is not something the provider sends. */
    static Map<String, String> parse(String form) {
        var parameters = new LinkedHashMap<String, String>();
        if (form.isEmpty()) {
            return parameters;
        }
        try {
            for (var pair : form.split("&", -1)) {
                var equals = pair.indexOf('=');
                var name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                var value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                if (parameters.putIfAbsent(name, value) != null) {
                    throw new Malformed();
                }
            }
        } catch (IllegalArgumentException e) {
            throw new Malformed();
        }
        return Collections.unmodifiableMap(parameters);
    }
}
