package org.lifeline.telephony;

import java.io.IOException;
import java.util.List;

import org.lifeline.channels.ChannelAdapter;
import org.lifeline.channels.ChannelInput;
import org.lifeline.channels.DeliveryResult;
import org.lifeline.channels.OutboundContent;
import org.lifeline.conversations.MessageContent;
import org.lifeline.conversations.MessageContent.CallEvent;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The phone line on the channels core: what happens on a call (it came in, who answered and for how long, a
 * voicemail, a callback request) is stored through the intake like any update and becomes entries on the caller's
 * conversation; voicemails are fetched from the provider as attachments, then deleted there. The caller is a
 * contact of channel {@code voice}, known by his number (encrypted, found by blind index); a withheld number gives
 * each call a contact of its own. Nothing can be written to a caller: a reply fails as {@code voice.no-text}.
 */
@Component
class VoiceAdapter implements ChannelAdapter {

    static final String TYPE = "voice";

    /** What one stored update records: its step, the language, who answered, and the provider's form. */
    record Stored(String step, String language, String answeredBy, String form) {
    }

    private final TelephonySettings settings;
    private final TwilioApi api;
    private final JsonMapper json;

    VoiceAdapter(TelephonySettings settings, TwilioApi api, JsonMapper json) {
        this.settings = settings;
        this.api = api;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> endpoints() {
        return settings.enabled() ? settings.numbers().stream().map(TelephonySettings.Number::number).toList() : List.of();
    }

    String write(Stored stored) {
        return json.writeValueAsString(stored);
    }

    /** The caller as a contact: his number, or this call alone when the number is withheld. */
    static String caller(java.util.Map<String, String> form) {
        var from = form.getOrDefault("From", "");
        return from.matches("\\+[1-9][0-9]{6,14}") ? from : "withheld:" + form.getOrDefault("CallSid", "");
    }

    static boolean withheld(java.util.Map<String, String> form) {
        return caller(form).startsWith("withheld:");
    }

    @Override
    public ChannelInput interpret(String endpoint, String payload) {
        var stored = json.readValue(payload, Stored.class);
        var form = TwilioRequests.parse(stored.form());
        var caller = caller(form);
        var callSid = form.get("CallSid");
        var language = stored.language();
        return switch (stored.step()) {
            case "call" -> new ChannelInput.Note(caller, language, new MessageContent.Call(CallEvent.RANG, endpoint,
                    null, null, null), callSid);
            // the seconds he waited in the queue
            case "answered" -> new ChannelInput.Note(caller, language, new MessageContent.Call(CallEvent.ANSWERED, null,
                    stored.answeredBy(), null, seconds(form.get("QueueTime"))), callSid);
            case "not-answered" -> new ChannelInput.Note(caller, language, new MessageContent.Call(CallEvent.NOT_ANSWERED,
                    null, null, notAnswered(form), seconds(form.get("QueueTime"))), callSid);
            case "voicemail" -> new ChannelInput.Recording(caller, language, form.get("RecordingSid"),
                    seconds(form.get("RecordingDuration")), callSid);
            case "callback" -> new ChannelInput.CallbackRequest(caller, language,
                    "2".equals(form.get("Digits")) ? "family" : "surrender", callSid);
            case "ended" -> new ChannelInput.Note(caller, language, new MessageContent.Call(CallEvent.ENDED, null, null,
                    form.get("CallStatus"), seconds(form.get("CallDuration"))), callSid);
            default -> new ChannelInput.Ignored("unknown step");
        };
    }

    /** Nobody on duty; he hung up while waiting; or he waited until the wait ran out (or the queue failed him). */
    private static String notAnswered(java.util.Map<String, String> form) {
        var result = form.get("QueueResult");
        if (result == null) {
            return "no-operator";
        }
        return "hangup".equals(result) ? "hung-up" : "waited";
    }

    private static Integer seconds(String value) {
        return value != null && value.matches("[0-9]{1,6}") ? Integer.valueOf(value) : null;
    }

    @Override
    public String render(String endpoint, String recipient, OutboundContent content) {
        return content.text();
    }

    /** A caller cannot be written to; operators call back only on his request, from the case. */
    @Override
    public DeliveryResult deliver(String endpoint, String recipient, String rendered) {
        return new DeliveryResult.Failed("voice.no-text", false);
    }

    @Override
    public Fetched fetch(String endpoint, String reference) throws IOException {
        return new Fetched("audio/mpeg", api.recording(reference));
    }

    /** The voicemail is stored encrypted on its message: the provider keeps no copy. */
    @Override
    public void fetched(String endpoint, String reference) throws IOException {
        api.deleteRecording(reference);
    }
}
