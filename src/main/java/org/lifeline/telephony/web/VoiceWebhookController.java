package org.lifeline.telephony.web;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;
import org.lifeline.telephony.TwilioRequests;
import org.lifeline.telephony.VoiceLine;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
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

    private final VoiceLine line;

    VoiceWebhookController(VoiceLine line) {
        this.line = line;
    }

    @PostMapping("/webhooks/voice")
    ResponseEntity<String> incoming(@RequestHeader(name = Webhooks.SIGNATURE_HEADER, required = false) String signature,
            HttpServletRequest request, InputStream body) throws IOException {
        return answer("", signature, request, body);
    }

    @PostMapping("/webhooks/voice/{step}")
    ResponseEntity<String> step(@PathVariable String step,
            @RequestHeader(name = Webhooks.SIGNATURE_HEADER, required = false) String signature,
            HttpServletRequest request, InputStream body) throws IOException {
        return answer("/" + step, signature, request, body);
    }

    private ResponseEntity<String> answer(String step, String signature, HttpServletRequest request, InputStream body)
            throws IOException {
        if (!VoiceLine.STEPS.contains(step)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        var bytes = Webhooks.form(request, body);
        var answer = line.answer(step, new TwilioRequests.Received("/webhooks/voice" + step, request.getQueryString(),
                signature, bytes));
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
