package org.lifeline.whatsapp.web;

import java.io.IOException;
import java.io.InputStream;

import org.lifeline.whatsapp.WhatsAppIntake;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /webhooks/whatsapp}: Meta's verification handshake (the challenge echoed as text, 403 for a wrong
 * token). {@code POST /webhooks/whatsapp}: 200 only once every message and status of the delivery is stored (or
 * was already); 401 without the right signature, nothing stored; 400 for what is not a delivery; 503 when the
 * database is away, so Meta delivers again later. 404 while the channel is not configured. A request with no
 * signature of the right form is refused (401) before its body is read; one with such a signature and a body past
 * the limit is answered 413, and one whose signature is wrong for the body read 401.
 */
@RestController
class WhatsAppWebhookController {

    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

    private final WhatsAppIntake intake;

    WhatsAppWebhookController(WhatsAppIntake intake) {
        this.intake = intake;
    }

    @GetMapping(path = "/webhooks/whatsapp", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> verify(@RequestParam(name = "hub.mode", required = false) String mode,
            @RequestParam(name = "hub.verify_token", required = false) String token,
            @RequestParam(name = "hub.challenge", required = false) String challenge) {
        return switch (intake.verify(mode, token, challenge)) {
            case ACCEPTED -> ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(challenge);
            case NOT_CONFIGURED -> ResponseEntity.status(HttpStatus.NOT_FOUND).build();
            case REFUSED -> ResponseEntity.status(HttpStatus.FORBIDDEN).build();
        };
    }

    @PostMapping("/webhooks/whatsapp")
    ResponseEntity<Void> receive(@RequestHeader(name = SIGNATURE_HEADER, required = false) String signature,
            InputStream body) throws IOException {
        var refused = intake.refusedUnread(signature);
        if (refused.isPresent()) {
            // answered before a byte of the body is read, and the connection closed rather than the body drained
            return ResponseEntity.status(status(refused.get())).header(HttpHeaders.CONNECTION, "close").build();
        }
        // at most one byte past the limit: an oversized body is refused without being held in memory
        var bytes = body.readNBytes(WhatsAppIntake.MAX_DELIVERY_BYTES + 1);
        return ResponseEntity.status(status(intake.webhook(signature, bytes))).build();
    }

    private static HttpStatus status(WhatsAppIntake.Result result) {
        return switch (result) {
            case STORED -> HttpStatus.OK;
            case NOT_CONFIGURED -> HttpStatus.NOT_FOUND;
            case WRONG_SIGNATURE -> HttpStatus.UNAUTHORIZED;
            case MALFORMED -> HttpStatus.BAD_REQUEST;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
        };
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Void> databaseAway() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
    }
}
