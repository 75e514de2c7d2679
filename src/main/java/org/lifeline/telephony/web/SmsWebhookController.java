package org.lifeline.telephony.web;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.lifeline.telephony.SmsIntake;
import org.lifeline.telephony.TwilioRequests;
import org.lifeline.telephony.SmsStatuses;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/sms}: an incoming SMS. 200 with an empty TwiML {@code <Response/>} only once the message is
 * stored (or was already); 403 without the right {@code X-Twilio-Signature}, nothing read or stored; 400 for what is
 * not an SMS request; 404 while the channel is off or for a number it does not serve; 503 when the database is away.
 * {@code POST /webhooks/sms/status}: the provider's delivery status callback for an SMS we sent, answered alike.
 */
@RestController
class SmsWebhookController {

    static final String PATH = "/webhooks/sms";

    static final String STATUS_PATH = "/webhooks/sms/status";

    private final SmsIntake intake;
    private final SmsStatuses statuses;

    SmsWebhookController(SmsIntake intake, SmsStatuses statuses) {
        this.intake = intake;
        this.statuses = statuses;
    }

    @PostMapping(STATUS_PATH)
    ResponseEntity<String> status(@RequestHeader(name = Webhooks.SIGNATURE_HEADER, required = false) String signature,
            HttpServletRequest request, HttpServletResponse response, InputStream body) throws IOException {
        var bytes = Webhooks.form(request, response, signature, body);
        return answer(statuses.receive(new TwilioRequests.Received(STATUS_PATH, request.getQueryString(), signature, bytes)));
    }

    @PostMapping(PATH)
    ResponseEntity<String> receive(@RequestHeader(name = Webhooks.SIGNATURE_HEADER, required = false) String signature,
            HttpServletRequest request, HttpServletResponse response, InputStream body) throws IOException {
        var bytes = Webhooks.form(request, response, signature, body);
        return answer(intake.receive(new TwilioRequests.Received(PATH, request.getQueryString(), signature, bytes)));
    }

    private static ResponseEntity<String> answer(SmsIntake.Result result) {
        var status = switch (result) {
            case STORED -> HttpStatus.OK;
            case NOT_CONFIGURED, UNKNOWN_NUMBER -> HttpStatus.NOT_FOUND;
            case WRONG_SIGNATURE -> HttpStatus.FORBIDDEN;
            case MALFORMED -> HttpStatus.BAD_REQUEST;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
        };
        if (status != HttpStatus.OK) {
            return ResponseEntity.status(status).build();
        }
        return ResponseEntity.ok().contentType(MediaType.TEXT_XML).body(SmsIntake.NO_REPLY);
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Void> databaseAway() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
    }
}
