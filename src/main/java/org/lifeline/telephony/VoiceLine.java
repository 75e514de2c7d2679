package org.lifeline.telephony;

import static org.lifeline.telephony.Twiml.attributes;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.lifeline.channels.ChannelIntake;
import org.lifeline.operators.OperatorDuty;
import org.lifeline.operators.OperatorId;
import org.lifeline.operators.OperatorManagement;
import org.springframework.stereotype.Component;

/**
 * The phone line's answers, in TwiML. A call comes in to {@code /webhooks/voice}; every later step is a request to
 * a path below it, carrying the caller's language in the query (signed with the rest of the URL):
 * <ol>
 * <li>the language menu: 1 Russian, 2 Korean, 3 Ukrainian, 4 English, offered in the number's language first; no
 * key: the number's language;</li>
 * <li>the menu: 1 an operator (also when no key is pressed), 2 voicemail at once, star to repeat, 0 back to the
 * languages;</li>
 * <li>an operator: he joins his language's queue ({@code <Enqueue>}); while he waits he hears his place in it, the
 * hold message and the offer of voicemail (2), again and again, and a free on-duty operator who speaks the language
 * is called (his phone or SIP address, through the Calls API) and takes the first caller in the queue
 * ({@code <Dial><Queue>}); after {@code max-wait} he leaves the queue ({@code <Leave/>});</li>
 * <li>nobody on duty, the wait run out, or voicemail asked for: voicemail ({@code <Record>}), then the offer of a
 * call back, which only his own key press makes (1 about a surrender, 2 about a relative); a withheld number is
 * never offered one.</li>
 * </ol>
 * What happens is stored through the intake (the call, who answered, the voicemail, the callback request) before
 * the answer goes, under keys made of the call and recording SIDs, so a retried request is recorded once.
 */
@Component
public class VoiceLine {

    static final String BASE = "/webhooks/voice";
    static final Pattern CALL_SID = Pattern.compile("CA[0-9a-fA-F]{32}");
    static final Pattern RECORDING_SID = Pattern.compile("RE[0-9a-fA-F]{32}");
    static final List<String> LANGUAGE_KEYS = List.of("ru", "ko", "uk", "en");
    /** How long an operator who picked up waits for a caller still in the queue before his call ends. */
    static final int OPERATOR_DIAL_TIMEOUT = 10;

    private final TelephonySettings settings;
    private final TwilioRequests requests;
    private final ChannelIntake intake;
    private final VoiceAdapter adapter;
    private final VoiceCalls calls;
    private final OperatorDuty duty;
    private final OperatorManagement operators;
    private final OperatorCalls operatorCalls;
    private final TwilioSids sids;

    VoiceLine(TelephonySettings settings, TwilioRequests requests, ChannelIntake intake, VoiceAdapter adapter, VoiceCalls calls,
            OperatorDuty duty, OperatorManagement operators, OperatorCalls operatorCalls, TwilioSids sids) {
        this.settings = settings;
        this.requests = requests;
        this.intake = intake;
        this.adapter = adapter;
        this.calls = calls;
        this.duty = duty;
        this.operators = operators;
        this.operatorCalls = operatorCalls;
        this.sids = sids;
    }

    /** The HTTP answer: a status, and TwiML when it is 200. */
    public record Answer(int status, String twiml) {
        static Answer of(Twiml twiml) {
            return new Answer(200, twiml.build());
        }

        static Answer refused(int status) {
            return new Answer(status, null);
        }
    }

    /** The steps, by the path below {@code /webhooks/voice}. */
    public static final List<String> STEPS = List.of("", "/language", "/menu", "/choice", "/wait", "/wait-key",
            "/queued", "/operator", "/connected", "/operator-status", "/recorded", "/callback", "/status");

    /** Answers one request of the provider: 403 and nothing stored or done without the right signature. */
    public Answer answer(String step, TwilioRequests.Received request) {
        if (!settings.enabled() || !STEPS.contains(step)) {
            return Answer.refused(404);
        }
        if (request.body().length > TwilioRequests.MAX_REQUEST_BYTES) {
            return Answer.refused(413);
        }
        TwilioRequests.Signed signed;
        try {
            var verified = requests.verify(request);
            if (verified.isEmpty()) {
                return Answer.refused(403);
            }
            signed = verified.get();
        } catch (TwilioRequests.Malformed e) {
            return Answer.refused(400);
        }
        var callSid = signed.get("CallSid");
        if (callSid == null || !CALL_SID.matcher(callSid).matches()) {
            return Answer.refused(400);
        }
        // Twilio signs no time: a call that began longer ago than any call lasts (its first request: longer ago
        // than Twilio retries it) is over, and a request for it is a captured one sent again
        if (sids.seenLongerAgoThan(callSid, step.isEmpty() ? TwilioSids.INCOMING_RETRIES : TwilioSids.LONGEST_CALL)) {
            return Answer.refused(403);
        }
        // the operator's call comes from the hotline's number to his; the caller's number is not in it
        switch (step) {
            case "/operator" -> {
                return operatorPickedUp(signed);
            }
            case "/operator-status" -> {
                return operatorCallEnded(signed);
            }
            case "/connected" -> {
                return connected(signed);
            }
            default -> {
            }
        }
        var number = settings.number(signed.get("To"));
        if (number.isEmpty()) {
            return Answer.refused(404);
        }
        var endpoint = number.get().number();
        var language = Optional.ofNullable(signed.query().get("l")).filter(TelephonySettings.LANGUAGES::contains)
                .orElse(number.get().language());
        return switch (step) {
            case "" -> incoming(signed, endpoint, language);
            case "/language" -> chosenLanguage(signed, endpoint, language);
            case "/menu" -> Answer.of(menu(new Twiml(), language));
            case "/choice" -> choice(signed, endpoint, language);
            case "/wait" -> waiting(signed, endpoint, language);
            case "/wait-key" -> waitKey(signed, language);
            case "/queued" -> leftQueue(signed, endpoint, language);
            case "/recorded" -> recorded(signed, endpoint, language);
            case "/callback" -> callback(signed, endpoint, language);
            case "/status" -> ended(signed, endpoint, language);
            default -> Answer.refused(404);
        };
    }

    private Answer incoming(TwilioRequests.Signed call, String endpoint, String language) {
        store(call, endpoint, "call:", "call", language, null);
        calls.begin(call.get("CallSid"), endpoint);
        sids.seen(call.get("CallSid"));
        return Answer.of(languageMenu(new Twiml(), language));
    }

    /** Each language offered in its own words, the number's language first; no key: the number's language. */
    private Twiml languageMenu(Twiml twiml, String numberLanguage) {
        var order = new ArrayList<String>();
        order.add(numberLanguage);
        LANGUAGE_KEYS.stream().filter(l -> !l.equals(numberLanguage)).forEach(order::add);
        twiml.open("Gather", attributes("input", "dtmf", "numDigits", "1", "timeout", "5",
                "action", url("/language", numberLanguage), "method", "POST"));
        order.forEach(l -> prompt(twiml, l, VoicePrompt.LANGUAGE));
        twiml.close("Gather");
        return twiml.verb("Redirect", attributes("method", "POST"), url("/menu", numberLanguage));
    }

    private Answer chosenLanguage(TwilioRequests.Signed request, String endpoint, String numberLanguage) {
        var digits = request.get("Digits");
        var index = digits == null || !digits.matches("[1-4]") ? -1 : Integer.parseInt(digits) - 1;
        if (index < 0) {
            return Answer.of(languageMenu(new Twiml(), numberLanguage));
        }
        return Answer.of(menu(new Twiml(), LANGUAGE_KEYS.get(index)));
    }

    private Twiml menu(Twiml twiml, String language) {
        twiml.open("Gather", attributes("input", "dtmf", "numDigits", "1", "timeout", "6",
                "action", url("/choice", language), "method", "POST"));
        prompt(twiml, language, VoicePrompt.MENU);
        twiml.close("Gather");
        // no key pressed: he may not be able to, so he is put through
        return twiml.verb("Redirect", attributes("method", "POST"), url("/choice", language));
    }

    private Answer choice(TwilioRequests.Signed request, String endpoint, String language) {
        var digits = request.get("Digits");
        if (digits == null || digits.isEmpty() || digits.equals("1")) {
            return operator(request, endpoint, language);
        }
        return switch (digits) {
            case "2" -> Answer.of(voicemail(new Twiml(), language, false));
            case "*" -> Answer.of(menu(new Twiml(), language));
            case "0" -> Answer.of(languageMenu(new Twiml(), settings.number(endpoint).orElseThrow().language()));
            default -> Answer.of(menu(prompt(new Twiml(), language, VoicePrompt.INVALID), language));
        };
    }

    /**
     * Puts him in his language's queue and calls free operators who speak it; nobody on duty for it: voicemail at
     * once. The queue is the provider's, named by the language, so callers of every number share it.
     */
    private Answer operator(TwilioRequests.Signed request, String endpoint, String language) {
        var callSid = request.get("CallSid");
        if (duty.onDutyFor(language).isEmpty()) {
            store(request, endpoint, "not-answered:", "not-answered", language, null);
            calls.state(callSid, "VOICEMAIL");
            return Answer.of(voicemail(new Twiml(), language, true));
        }
        calls.waiting(callSid, language);
        operatorCalls.offerSoon(language, endpoint);
        return Answer.of(new Twiml().verb("Enqueue", attributes("action", url("/queued", language), "method", "POST",
                "waitUrl", url("/wait", language), "waitUrlMethod", "POST"), queue(language)));
    }

    static String queue(String language) {
        return "lifeline-" + language;
    }

    /**
     * The wait loop (the provider asks again each time it has played it): his place in the queue, the hold message
     * and the offer of voicemail, while free operators are called; once he has waited {@code max-wait}, or nobody is
     * on duty for his language any more, he leaves the queue for voicemail.
     */
    private Answer waiting(TwilioRequests.Signed request, String endpoint, String language) {
        var callSid = request.get("CallSid");
        var waited = number(request.get("QueueTime"));
        if (waited >= settings.maxWait().toSeconds() || duty.onDutyFor(language).isEmpty()) {
            calls.state(callSid, "TIMED_OUT");
            return Answer.of(new Twiml().verb("Leave", Map.of(), null));
        }
        operatorCalls.offerSoon(language, endpoint);
        var twiml = new Twiml().open("Gather", attributes("input", "dtmf", "numDigits", "1", "timeout", "5",
                "action", url("/wait-key", language), "method", "POST"));
        var position = number(request.get("QueuePosition"));
        if (position > 0) {
            twiml.verb("Say", attributes("voice", settings.voices().get(language), "language", LOCALES.get(language)),
                    VoicePrompt.POSITION.text(language).replace("{n}", String.valueOf(position)));
        }
        prompt(twiml, language, VoicePrompt.HOLD);
        prompt(twiml, language, VoicePrompt.QUEUE_OPTIONS);
        return Answer.of(twiml.close("Gather"));
    }

    /** A key pressed while waiting: 2 leaves the queue for voicemail; any other goes back to waiting. */
    private Answer waitKey(TwilioRequests.Signed request, String language) {
        if ("2".equals(request.get("Digits"))) {
            calls.state(request.get("CallSid"), "LEAVING");
            return Answer.of(new Twiml().verb("Leave", Map.of(), null));
        }
        return Answer.of(prompt(new Twiml(), language, VoicePrompt.INVALID));
    }

    /**
     * He left the queue ({@code QueueResult}): talked to an operator and the call is over, hung up while waiting,
     * or left it for voicemail (asked for, or the wait ran out); anything else the provider reports (queue full, an
     * error) takes him to voicemail too.
     */
    private Answer leftQueue(TwilioRequests.Signed request, String endpoint, String language) {
        var callSid = request.get("CallSid");
        var result = String.valueOf(request.get("QueueResult"));
        switch (result) {
            case "bridged", "redirected-from-bridged" -> {
                var who = calls.answeredBy(callSid).flatMap(operators::find).map(o -> o.username()).orElse(null);
                store(request, endpoint, "answered:", "answered", language, who);
                calls.state(callSid, "ENDED");
                return Answer.of(new Twiml().verb("Hangup", Map.of(), null));
            }
            case "hangup" -> {
                store(request, endpoint, "not-answered:", "not-answered", language, null);
                calls.state(callSid, "ENDED");
                return Answer.of(new Twiml());
            }
            case "leave" -> {
                // he asked for voicemail (the state stays, so a retried request is answered alike)
                if (calls.state(callSid).filter("LEAVING"::equals).isPresent()) {
                    return Answer.of(voicemail(new Twiml(), language, false));
                }
            }
            default -> {
            }
        }
        store(request, endpoint, "not-answered:", "not-answered", language, null);
        calls.state(callSid, "VOICEMAIL");
        return Answer.of(voicemail(new Twiml(), language, true));
    }

    /**
     * The operator picked up the call to him: he is told the caller's language, then takes the first caller in that
     * language's queue. Nobody waits any more (the caller hung up or left a message): he is told so.
     */
    private Answer operatorPickedUp(TwilioRequests.Signed request) {
        var operator = operatorOf(request);
        var language = request.query().getOrDefault("l", "");
        if (operator.isEmpty() || !TelephonySettings.LANGUAGES.contains(language)) {
            return Answer.refused(400);
        }
        var ukrainian = attributes("voice", settings.voices().get("uk"), "language", "uk-UA");
        if (calls.waiting(language) == 0) {
            return Answer.of(new Twiml().verb("Say", ukrainian, "Дзвінок гарячої лінії. Абонент уже не чекає.")
                    .verb("Hangup", Map.of(), null));
        }
        calls.operatorTalking(operator.get(), request.get("CallSid"));
        var connected = url("/connected", language) + "&o=" + operator.get().value();
        return Answer.of(new Twiml().verb("Say", ukrainian,
                        "Дзвінок гарячої лінії. Мова: " + VoicePrompt.LANGUAGE_NAMES_UK.get(language) + ".")
                .open("Dial", attributes("timeout", String.valueOf(OPERATOR_DIAL_TIMEOUT)))
                .verb("Queue", attributes("url", connected, "method", "POST"), queue(language))
                .close("Dial")
                .verb("Hangup", Map.of(), null));
    }

    /** Played to the caller taken from the queue, just before he is joined: the call is the operator's. */
    private Answer connected(TwilioRequests.Signed request) {
        var operator = operatorOf(request);
        if (operator.isEmpty()) {
            return Answer.refused(400);
        }
        calls.answered(request.get("CallSid"), operator.get());
        return Answer.of(new Twiml());
    }

    /** The operator's call ended: he is free, and the next operator is called if someone still waits. */
    private Answer operatorCallEnded(TwilioRequests.Signed request) {
        var operator = operatorOf(request);
        var language = request.query().getOrDefault("l", "");
        if (operator.isEmpty() || !TelephonySettings.LANGUAGES.contains(language)) {
            return Answer.refused(400);
        }
        var status = request.get("CallStatus");
        if ("completed".equals(status) || "busy".equals(status) || "failed".equals(status)
                || "no-answer".equals(status) || "canceled".equals(status)) {
            calls.operatorFree(operator.get(), request.get("CallSid"));
            var endpoint = settings.number(request.get("From")).map(TelephonySettings.Number::number);
            endpoint.ifPresent(e -> operatorCalls.offerSoon(language, e));
        }
        return Answer.of(new Twiml());
    }

    private static Optional<OperatorId> operatorOf(TwilioRequests.Signed request) {
        var operator = request.query().get("o");
        return operator != null && operator.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
                ? Optional.of(new OperatorId(java.util.UUID.fromString(operator))) : Optional.empty();
    }

    private static int number(String value) {
        return value != null && value.matches("[0-9]{1,6}") ? Integer.parseInt(value) : 0;
    }

    private Twiml voicemail(Twiml twiml, String language, boolean nobody) {
        if (nobody) {
            prompt(twiml, language, VoicePrompt.NOBODY);
        }
        prompt(twiml, language, VoicePrompt.VOICEMAIL);
        twiml.verb("Record", attributes("action", url("/recorded", language), "method", "POST",
                "maxLength", String.valueOf(settings.voicemailMaxLength().toSeconds()), "timeout", "10",
                "finishOnKey", "#", "playBeep", "true", "trim", "trim-silence"), null);
        // nothing was recorded (he said nothing): the provider goes on here
        prompt(twiml, language, VoicePrompt.GOODBYE);
        return twiml.verb("Hangup", Map.of(), null);
    }

    /** The voicemail is recorded: stored (fetched from the provider later), then the offer of a call back. */
    private Answer recorded(TwilioRequests.Signed request, String endpoint, String language) {
        var recording = request.get("RecordingSid");
        if (recording == null || !RECORDING_SID.matcher(recording).matches()) {
            return Answer.refused(400);
        }
        store(request, endpoint, "vm:" + recording + ":", "voicemail", language, null);
        calls.state(request.get("CallSid"), "VOICEMAIL");
        var twiml = new Twiml();
        if (!VoiceAdapter.withheld(request.parameters())) {
            twiml.open("Gather", attributes("input", "dtmf", "numDigits", "1", "timeout", "8",
                    "action", url("/callback", language), "method", "POST"));
            prompt(twiml, language, VoicePrompt.CALLBACK);
            twiml.close("Gather");
        }
        prompt(twiml, language, VoicePrompt.GOODBYE);
        return Answer.of(twiml.verb("Hangup", Map.of(), null));
    }

    /** Only his own key press asks for a call back; any other key, or none, asks for nothing. */
    private Answer callback(TwilioRequests.Signed request, String endpoint, String language) {
        var digits = request.get("Digits");
        if (("1".equals(digits) || "2".equals(digits)) && !VoiceAdapter.withheld(request.parameters())) {
            store(request, endpoint, "cb:", "callback", language, null);
            return Answer.of(prompt(new Twiml(), language, VoicePrompt.CALLBACK_CONFIRMED).verb("Hangup", Map.of(), null));
        }
        return Answer.of(prompt(new Twiml(), language, VoicePrompt.GOODBYE).verb("Hangup", Map.of(), null));
    }

    /** The call's status callback: it ended, and how long it lasted. */
    private Answer ended(TwilioRequests.Signed request, String endpoint, String language) {
        var status = request.get("CallStatus");
        if ("completed".equals(status) || "busy".equals(status) || "failed".equals(status)
                || "no-answer".equals(status) || "canceled".equals(status)) {
            store(request, endpoint, "end:", "ended", language, null);
            calls.state(request.get("CallSid"), "ENDED");
        }
        return Answer.of(new Twiml());
    }

    private void store(TwilioRequests.Signed request, String endpoint, String keyPrefix, String step, String language,
            String answeredBy) {
        var payload = adapter.write(new VoiceAdapter.Stored(step, language, answeredBy, request.rawBody()));
        intake.accept(VoiceAdapter.TYPE, endpoint, keyPrefix + request.get("CallSid"),
                VoiceAdapter.caller(request.parameters()), payload, settings.inboundPerSenderPerMinute());
    }

    /** A recorded prompt when one is configured for the language, else the text spoken in its voice. */
    private Twiml prompt(Twiml twiml, String language, VoicePrompt prompt) {
        var audio = settings.audio().getOrDefault(language, Map.of()).get(prompt.id());
        if (audio != null) {
            return twiml.verb("Play", Map.of(), audio.toString());
        }
        return twiml.verb("Say", attributes("voice", settings.voices().get(language), "language", LOCALES.get(language)),
                prompt.text(language));
    }

    static final Map<String, String> LOCALES = Map.of("ru", "ru-RU", "ko", "ko-KR", "uk", "uk-UA", "en", "en-US");

    private String url(String step, String language) {
        return settings.publicUrl(BASE + step) + "?l=" + URLEncoder.encode(language, StandardCharsets.UTF_8);
    }
}
