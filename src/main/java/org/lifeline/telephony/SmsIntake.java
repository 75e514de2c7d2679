package org.lifeline.telephony;

import org.lifeline.channels.ChannelIntake;
import org.springframework.stereotype.Component;

/**
 * Takes incoming SMS from the provider: nothing is read or stored unless the signature is right; then the message
 * is stored through the same intake as every channel, as the form the provider sent, under its MessageSid (a
 * retried request is stored once), before the webhook answers. A MessageSid seen before is not stored again, however
 * long ago (see {@link TwilioSids}): a captured request sent again is answered and dropped.
 */
@Component
public class SmsIntake {

    private final TelephonySettings settings;
    private final TwilioRequests requests;
    private final ChannelIntake intake;
    private final TwilioSids sids;

    SmsIntake(TelephonySettings settings, TwilioRequests requests, ChannelIntake intake, TwilioSids sids) {
        this.settings = settings;
        this.requests = requests;
        this.intake = intake;
        this.sids = sids;
    }

    public enum Result { STORED, NOT_CONFIGURED, WRONG_SIGNATURE, MALFORMED, TOO_LARGE, UNKNOWN_NUMBER }

    /** An empty TwiML document: no reply now (answers go through the outbox). */
    public static final String NO_REPLY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

    public Result receive(TwilioRequests.Received request) {
        if (!settings.enabled()) {
            return Result.NOT_CONFIGURED;
        }
        if (request.body().length > TwilioRequests.MAX_REQUEST_BYTES) {
            return Result.TOO_LARGE;
        }
        TwilioRequests.Signed signed;
        try {
            var verified = requests.verify(request);
            if (verified.isEmpty()) {
                return Result.WRONG_SIGNATURE;
            }
            signed = verified.get();
        } catch (TwilioRequests.Malformed e) {
            return Result.MALFORMED;
        }
        var sid = signed.get("MessageSid");
        var from = signed.get("From");
        if (sid == null || !SmsAdapter.MESSAGE_SID.matcher(sid).matches() || from == null || from.isBlank()
                || from.length() > 64) {
            return Result.MALFORMED;
        }
        var to = signed.get("To");
        if (to == null || settings.number(to).isEmpty()) {
            return Result.UNKNOWN_NUMBER;
        }
        // seen before: stored then, though its raw update may be gone; sent again now, it is a replay
        if (sids.firstSeen(sid).isPresent()) {
            return Result.STORED;
        }
        intake.accept(SmsAdapter.TYPE, to, "m:" + sid, from, signed.rawBody(), settings.inboundPerSenderPerMinute());
        sids.seen(sid);
        return Result.STORED;
    }
}
