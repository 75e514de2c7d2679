package org.lifeline.telegram.web;

import java.io.IOException;
import java.io.InputStream;

import org.lifeline.telegram.TelegramIntake;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/telegram/{username}}. 200 only once the update is stored (or was already), for every
 * update type, so that Telegram neither loses nor endlessly retries anything; 401 without the right secret or for a bot we do not serve (alike);
 * 400 for what is not an update; 503 when the database is away, so Telegram delivers again later.
 */
@RestController
class TelegramWebhookController {

    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

    private final TelegramIntake intake;

    TelegramWebhookController(TelegramIntake intake) {
        this.intake = intake;
    }

    @PostMapping("/webhooks/telegram/{username}")
    ResponseEntity<Void> receive(@PathVariable String username,
            @RequestHeader(name = SECRET_HEADER, required = false) String secret,
            InputStream body) throws IOException {
        // read at most one byte past the limit: an oversized body is refused without being held in memory
        var bytes = body.readNBytes(TelegramIntake.MAX_UPDATE_BYTES + 1);
        var status = switch (intake.webhook(username, secret, bytes)) {
            case STORED, DUPLICATE, DROPPED -> HttpStatus.OK;
            case WRONG_SECRET -> HttpStatus.UNAUTHORIZED;
            case MALFORMED -> HttpStatus.BAD_REQUEST;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
        };
        return ResponseEntity.status(status).build();
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Void> databaseAway() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
    }
}
