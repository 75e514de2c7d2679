package org.lifeline.telephony;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.lifeline.channels.ChannelAdapter;
import org.lifeline.channels.ChannelInput;
import org.lifeline.channels.DeliveryResult;
import org.lifeline.channels.OutboundContent;
import org.lifeline.channels.TextLanguage;
import org.lifeline.conversations.ConversationManagement;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * SMS over the provider's Messaging API: webhook requests in (stored as the form the provider sent), {@code POST
 * …/Messages.json} out. SMS has no buttons: choices are numbered lines, answered by number (the flows take the
 * number, the label or the id). A long text goes as several messages cut at segment boundaries.
 */
@Component
class SmsAdapter implements ChannelAdapter {

    static final String TYPE = "sms";
    static final Pattern MESSAGE_SID = Pattern.compile("(SM|MM)[0-9a-fA-F]{32}");

    private final TelephonySettings settings;
    private final TwilioApi api;
    private final ConversationManagement conversations;
    private final JsonMapper json;

    SmsAdapter(TelephonySettings settings, TwilioApi api, ConversationManagement conversations, JsonMapper json) {
        this.settings = settings;
        this.api = api;
        this.conversations = conversations;
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

    /**
     * A new sender's first message decides his language by its letters, else the number's language; after that
     * the conversation keeps its language until he changes it with the language command.
     */
    @Override
    public ChannelInput interpret(String endpoint, String payload) {
        var form = TwilioRequests.parse(payload);
        var from = form.get("From");
        var sid = form.get("MessageSid");
        if (from == null || from.isBlank() || sid == null || !MESSAGE_SID.matcher(sid).matches()) {
            return new ChannelInput.Ignored("not a message");
        }
        var body = form.getOrDefault("Body", "");
        if (body.isBlank()) {
            // a picture message without words: MMS media are not fetched
            return new ChannelInput.Ignored("no text");
        }
        var known = conversations.findContact(TYPE, from).isPresent();
        var fallback = settings.number(endpoint).map(TelephonySettings.Number::language).orElse("en");
        return new ChannelInput.Text(from, known ? null : TextLanguage.of(body, fallback), body, sid);
    }

    @Override
    public String render(String endpoint, String recipient, OutboundContent content) {
        var text = switch (content) {
            case OutboundContent.Choices choices -> numbered(choices);
            case OutboundContent.LocationRequest location ->
                    location.text() + "\n\n" + SmsTexts.locationInstructions(languageOf(endpoint, recipient));
            case OutboundContent.Text plain -> plain.text();
            // SMS cannot arrive silently: a notice is plain text (unsolicited messages are off by default)
            case OutboundContent.Notice notice -> notice.text();
        };
        return json.writeValueAsString(Map.of("parts", SmsSegments.split(text, settings.maxSegments())));
    }

    private static String numbered(OutboundContent.Choices choices) {
        var lines = new StringBuilder(choices.text());
        var options = choices.choices();
        for (int i = 0; i < options.size(); i++) {
            lines.append(i == 0 ? "\n\n" : "\n").append(i + 1).append(". ").append(options.get(i).label());
        }
        return lines.toString();
    }

    /** His language as the flow last set it, else his conversation's, else the number's. */
    private String languageOf(String endpoint, String recipient) {
        var contact = conversations.findContact(TYPE, recipient);
        var language = contact.map(c -> conversations.contact(c).preferredLanguage()).orElse(null);
        if (language == null) {
            language = contact.flatMap(conversations::latestConversation)
                    .map(c -> conversations.conversation(c).language()).orElse(null);
        }
        return language != null ? language
                : settings.number(endpoint).map(TelephonySettings.Number::language).orElse("en");
    }

    /**
     * Each part is one request. The Messages API has no idempotency key: once a part has gone, a failure of a later
     * one cannot be retried without repeating the earlier ones, so it is failed for an operator to see
     * ({@code sms.partial.<code>}) rather than sent twice.
     */
    @Override
    public DeliveryResult deliver(String endpoint, String recipient, String rendered) {
        if (settings.number(endpoint).isEmpty()) {
            return new DeliveryResult.Failed("sms.unknown-number", false);
        }
        var parts = json.readTree(rendered).path("parts");
        String first = null;
        for (int i = 0; i < parts.size(); i++) {
            DeliveryResult result;
            try {
                var answer = api.sendMessage(endpoint, recipient, parts.get(i).asString());
                if (answer.ok()) {
                    var sid = answer.body() == null ? null : answer.body().path("sid").asString(null);
                    if (first == null) {
                        first = sid != null && MESSAGE_SID.matcher(sid).matches() ? sid : "";
                    }
                    continue;
                }
                result = failure(answer);
            } catch (TwilioApi.NotSent e) {
                result = new DeliveryResult.RetryLater(null, false, "sms.network");
            } catch (IOException e) {
                // may have reached the provider: never sent again (docs/decisions/0001-outbound-in-flight.md)
                result = new DeliveryResult.Uncertain("uncertain");
            }
            if (i == 0) {
                return result;
            }
            return new DeliveryResult.Failed("sms.partial." + code(result).replaceFirst("^sms\\.", ""), false);
        }
        return new DeliveryResult.Sent(first == null || first.isEmpty() ? null : first);
    }

    private static String code(DeliveryResult result) {
        return switch (result) {
            case DeliveryResult.RetryLater r -> r.code();
            case DeliveryResult.Failed f -> f.code();
            case DeliveryResult.Uncertain u -> u.code();
            case DeliveryResult.Sent s -> "sent";
        };
    }

    /** The provider's documented REST API error codes (https://www.twilio.com/docs/api/errors). */
    static DeliveryResult failure(TwilioApi.Answer answer) {
        var code = answer.errorCode();
        return switch (code) {
            // too many requests (429): the whole account slows down, after Retry-After when given
            case 20429 -> new DeliveryResult.RetryLater(answer.retryAfter(), true, "sms." + code);
            // authentication failed: nothing goes until an admin fixes the token
            case 20003 -> new DeliveryResult.RetryLater(Duration.ofMinutes(1), true, "sms." + code);
            // he answered STOP to this number: the provider refuses until he sends START
            case 21610 -> new DeliveryResult.Failed("sms." + code, true);
            // not a valid or not an SMS-capable number, unroutable, or a country not enabled: final
            case 21211, 21614, 21612, 21408, 21606, 21617 -> new DeliveryResult.Failed("sms." + code, false);
            default -> {
                if (answer.status() == 429) {
                    yield new DeliveryResult.RetryLater(answer.retryAfter(), true, "sms.http-429");
                }
                if (answer.status() >= 500) {
                    yield new DeliveryResult.RetryLater(answer.retryAfter(), false,
                            code == 0 ? "sms.http-" + answer.status() : "sms." + code);
                }
                yield new DeliveryResult.Failed(code == 0 ? "sms.http-" + answer.status() : "sms." + code, false);
            }
        };
    }

    @Override
    public RateLimits limits(String endpoint) {
        return new RateLimits(settings.perRecipientPerSecond(), settings.perNumberPerSecond());
    }
}
