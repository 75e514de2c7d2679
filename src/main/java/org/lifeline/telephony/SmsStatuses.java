package org.lifeline.telephony;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.conversations.MessageView;
import org.lifeline.conversations.OutboundDeliveryChanged;
import org.lifeline.platform.SqlTimestamps;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The provider's delivery status callbacks for the SMS we send ({@code POST /webhooks/sms/status}, signed like every
 * webhook): {@code delivered} marks the message delivered, {@code undelivered} and {@code failed} mark it failed as
 * {@code sms.<ErrorCode>}; the other statuses ({@code queued}, {@code sending}, {@code sent}, …) tell nothing the
 * dispatcher has not recorded. Each report is kept once per message and status (a repeated callback changes
 * nothing), applied at once when the message is known, else as soon as the dispatcher records its send (a callback
 * can overtake that), and forgotten after a day. A text sent as several messages is known by its first one's SID:
 * reports about the others are kept a day and dropped.
 */
@Component
public class SmsStatuses {

    static final String PATH = "/webhooks/sms/status";
    static final Duration KEPT = Duration.ofDays(1);
    static final Set<String> STATUSES = Set.of("accepted", "scheduled", "queued", "sending", "sent", "receiving",
            "received", "delivered", "undelivered", "failed", "read", "partially_delivered", "canceled");
    private static final Pattern ERROR_CODE = Pattern.compile("[0-9]{1,10}");

    private final TelephonySettings settings;
    private final TwilioRequests requests;
    private final ConversationManagement conversations;
    private final JdbcClient jdbc;
    private final Clock clock;

    SmsStatuses(TelephonySettings settings, TwilioRequests requests, ConversationManagement conversations,
            JdbcClient jdbc, Clock clock) {
        this.settings = settings;
        this.requests = requests;
        this.conversations = conversations;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Takes one status callback: nothing read or stored without the right signature. */
    @Transactional
    public SmsIntake.Result receive(TwilioRequests.Received request) {
        if (!settings.enabled()) {
            return SmsIntake.Result.NOT_CONFIGURED;
        }
        if (request.body().length > TwilioRequests.MAX_REQUEST_BYTES) {
            return SmsIntake.Result.TOO_LARGE;
        }
        TwilioRequests.Signed signed;
        try {
            var verified = requests.verify(request);
            if (verified.isEmpty()) {
                return SmsIntake.Result.WRONG_SIGNATURE;
            }
            signed = verified.get();
        } catch (TwilioRequests.Malformed e) {
            return SmsIntake.Result.MALFORMED;
        }
        var sid = signed.get("MessageSid");
        var status = signed.get("MessageStatus");
        var errorCode = signed.get("ErrorCode");
        if (sid == null || !SmsAdapter.MESSAGE_SID.matcher(sid).matches() || status == null || !STATUSES.contains(status)
                || errorCode != null && !errorCode.isEmpty() && !ERROR_CODE.matcher(errorCode).matches()) {
            return SmsIntake.Result.MALFORMED;
        }
        var now = clock.instant();
        jdbc.sql("delete from telephony_sms_status where received_at < ?").param(SqlTimestamps.of(now.minus(KEPT))).update();
        var kept = jdbc.sql("""
                insert into telephony_sms_status (message_sid, status, error_code, applied, received_at)
                values (?, ?, ?, false, ?) on conflict do nothing""")
                .params(sid, status, errorCode == null || errorCode.isEmpty() ? null : errorCode, SqlTimestamps.of(now))
                .update();
        if (kept == 1) {
            conversations.findOutbound(SmsAdapter.TYPE, sid).ifPresent(this::applyKept);
        }
        return SmsIntake.Result.STORED;
    }

    /**
     * The dispatcher recorded a send: reports that came first are applied now. Nearly always there are none, and
     * then the conversation is not read at all.
     */
    @EventListener
    void on(OutboundDeliveryChanged event) {
        if (event.to() != DeliveryState.SENT || jdbc.sql("select count(*) from telephony_sms_status where applied = false")
                .query(Long.class).single() == 0) {
            return;
        }
        conversations.transcript(event.conversation()).stream()
                .filter(m -> m.id().equals(event.message()) && SmsAdapter.TYPE.equals(m.channel()) && m.channelMessageId() != null)
                .findFirst().ifPresent(this::applyKept);
    }

    private void applyKept(MessageView message) {
        var kept = jdbc.sql("""
                select status, error_code from telephony_sms_status where message_sid = ? and applied = false
                order by received_at""")
                .param(message.channelMessageId())
                .query((rs, n) -> new String[] {rs.getString("status"), rs.getString("error_code")})
                .list();
        for (var report : kept) {
            switch (report[0]) {
                // a message reported failed later may still be reported delivered first: a state never moves back
                case "delivered" -> conversations.updateDelivery(message.id(), DeliveryState.DELIVERED, message.deliveryDetail());
                case "undelivered", "failed" -> conversations.updateDelivery(message.id(), DeliveryState.FAILED,
                        "sms." + (report[1] == null ? report[0] : report[1]));
                default -> {
                }
            }
        }
        jdbc.sql("update telephony_sms_status set applied = true where message_sid = ?").param(message.channelMessageId()).update();
    }
}
