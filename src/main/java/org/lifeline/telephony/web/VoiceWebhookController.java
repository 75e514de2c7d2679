package org.lifeline.telephony.web;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.lifeline.telephony.TwilioRequests;
import org.lifeline.telephony.VoiceLine;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/voice} (an incoming call) and {@code POST /webhooks/voice/{step}} (what the caller did
 * next): TwiML with 200, once what the step records is stored; 403 without the right {@code X-Twilio-Signature},
 * nothing stored; 400 for what is not such a request; 404 while the line is off, for a number it does not serve or
 * an unknown step; 503 when the database is away.
 */
@RestController
class VoiceWebhookController {

    private static final String BASE = "/webhooks/voice";

    private final VoiceLine line;

    VoiceWebhookController(VoiceLine line) {
        this.line = line;
    }

    /**
     * Every step by its own path, none by a pattern: Spring MVC matches a path no mapping names exactly against
     * every mapping, whose parameter conditions (the web chat's) read the form body before this controller could
     * refuse a request unsigned.
     */
    @PostMapping({"/webhooks/voice", "/webhooks/voice/language", "/webhooks/voice/menu", "/webhooks/voice/choice",
            "/webhooks/voice/wait", "/webhooks/voice/wait-key", "/webhooks/voice/queued", "/webhooks/voice/operator",
            "/webhooks/voice/connected", "/webhooks/voice/operator-status", "/webhooks/voice/recorded",
            "/webhooks/voice/callback", "/webhooks/voice/status"})
    ResponseEntity<String> answer(@RequestHeader(name = Webhooks.SIGNATURE_HEADER, required = false) String signature,
            HttpServletRequest request, HttpServletResponse response, InputStream body) throws IOException {
        var path = request.getServletPath();
        var bytes = Webhooks.form(request, response, signature, body);
        var answer = line.answer(path.substring(BASE.length()),
                new TwilioRequests.Received(path, request.getQueryString(), signature, bytes));
        if (answer.status() != 200) {
            return ResponseEntity.status(answer.status()).build();
        }
        return ResponseEntity.ok().contentType(MediaType.TEXT_XML).body(answer.twiml());
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Void> databaseAway() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
    }
}
