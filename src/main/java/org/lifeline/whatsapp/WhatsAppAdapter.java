package org.lifeline.whatsapp;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.lifeline.channels.ChannelAdapter;
import org.lifeline.channels.ChannelHttp;
import org.lifeline.channels.ChannelInput;
import org.lifeline.channels.DeliveryResult;
import org.lifeline.channels.MessageParts;
import org.lifeline.channels.OutboundContent;
import org.lifeline.channels.TextLanguage;
import org.lifeline.channels.WebhookJson;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.privacy.DataProtection;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * WhatsApp over the Cloud API: webhook messages in, {@code POST /{phone-number-id}/messages} out. Outside the
 * 24-hour customer-service window only an approved template may go, so the rendered request carries the
 * conversation's language beside the message and the choice is made when it is sent.
 */
@Component
class WhatsAppAdapter implements ChannelAdapter {

    static final String TYPE = "whatsapp";
    /** Cloud API limits: reply buttons, their titles, list rows, row titles and descriptions, interactive bodies. */
    static final int MAX_BUTTONS = 3;
    static final int MAX_BUTTON_TITLE = 20;
    static final int MAX_ROWS = 10;
    static final int MAX_ROW_TITLE = 24;
    static final int MAX_ROW_DESCRIPTION = 72;
    static final int MAX_INTERACTIVE_BODY = 1024;
    static final int MAX_TEXT = 4096;
    /** What a campaign's {@code wa.me} link types for him: {@code /start <code>}, as Telegram's deep link sends. */
    private static final Pattern CAMPAIGN_START = Pattern.compile("\\s*/start\\s+([A-Za-z0-9_-]{1,64})\\s*");

    private final WhatsAppSettings settings;
    private final WhatsAppGraphApi api;
    private final WhatsAppWindows windows;
    private final WhatsAppReports reports;
    private final ConversationManagement conversations;
    private final DataProtection protection;
    private final JsonMapper json;

    WhatsAppAdapter(WhatsAppSettings settings, WhatsAppGraphApi api, WhatsAppWindows windows, WhatsAppReports reports,
            ConversationManagement conversations, DataProtection protection, JsonMapper json) {
        this.settings = settings;
        this.api = api;
        this.windows = windows;
        this.reports = reports;
        this.conversations = conversations;
        this.protection = protection;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> endpoints() {
        return settings.enabled() ? List.of(settings.phoneNumberId()) : List.of();
    }

    /** A wamid encodes the phone number, so only its keyed hash is kept (as idempotency key and message id). */
    String ref(String wamid) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(protection.blindIndex("whatsapp.wamid", wamid));
    }

    /**
     * WhatsApp says nothing of his language: a new contact's first message decides it by its letters; after that
     * the conversation keeps its language until he changes it with the language command.
     */
    @Override
    public ChannelInput interpret(String endpoint, String payload) {
        var message = WhatsAppPayloads.message(WebhookJson.read(json, payload));
        var known = message.path("from").isString()
                && conversations.findContact(TYPE, message.path("from").asString()).isPresent();
        var input = WhatsAppPayloads.interpret(message, this::ref,
                text -> known ? null : TextLanguage.of(text, settings.defaultLanguage()));
        return known ? input : campaignStart(input);
    }

    /**
     * A new contact's first message from a campaign's link carries its entry code: it starts the conversation as
     * Telegram's {@code /start <code>} does (an unknown code then starts it as no code would).
     */
    private static ChannelInput campaignStart(ChannelInput input) {
        if (input instanceof ChannelInput.Text text) {
            var start = CAMPAIGN_START.matcher(text.text());
            if (start.matches()) {
                return new ChannelInput.Start(text.senderId(), text.languageHint(), start.group(1),
                        text.channelMessageId());
            }
        }
        return input;
    }

    /**
     * Counted in UTF-16 units ({@link String#length()}), never fewer than the characters the Cloud API counts; Russian
     * and Korean take one unit a character, an emoji two.
     */
    @Override
    public int maxTextLength() {
        return MAX_TEXT;
    }

    /**
     * Each part fits once rendered, what render adds to the text counted: the numbered options of a choice that
     * cannot be buttons or a list, the location instructions. A question whose end fits an interactive message keeps
     * its buttons or list under that end; else what is added goes under the end when the two fit in one message, and
     * otherwise the end and what is added are split together, as text, so that nothing is cut.
     */
    @Override
    public List<OutboundContent> parts(String endpoint, String recipient, OutboundContent content) {
        return parts(content, () -> languageOf(recipient));
    }

    static List<OutboundContent> parts(OutboundContent content, Supplier<String> language) {
        var parts = MessageParts.split(content, MAX_TEXT);
        var last = parts.getLast();
        if (last instanceof OutboundContent.Choices choices && interactive(choices)) {
            return parts;
        }
        var sent = sentText(last, language);
        if (sent.length() <= MAX_TEXT) {
            return parts;
        }
        var fitting = new ArrayList<>(parts.subList(0, parts.size() - 1));
        MessageParts.split(sent, MAX_TEXT).forEach(text -> fitting.add(new OutboundContent.Text(text)));
        return fitting;
    }

    /** The text a content goes as when it goes as text: a choice's options numbered, a location request's help added. */
    private static String sentText(OutboundContent content, Supplier<String> language) {
        return switch (content) {
            case OutboundContent.Choices choices -> numbered(choices);
            case OutboundContent.LocationRequest location ->
                    location.text() + "\n\n" + WhatsAppTexts.locationInstructions(language.get());
            case OutboundContent.Text text -> text.text();
            // the Cloud API has no silent delivery: a notice goes as plain text (unsolicited ones are off by default)
            case OutboundContent.Notice notice -> notice.text();
        };
    }

    @Override
    public String render(String endpoint, String recipient, OutboundContent content) {
        var language = languageOf(recipient);
        var rendered = new LinkedHashMap<String, Object>();
        rendered.put("language", language);
        rendered.put("message", message(recipient, content, language));
        return api.write(rendered);
    }

    /** The Cloud API's message for a content: an interactive one where the choice fits it, else text. */
    static Map<String, Object> message(String recipient, OutboundContent content, String language) {
        var message = new LinkedHashMap<String, Object>();
        message.put("messaging_product", "whatsapp");
        message.put("recipient_type", "individual");
        message.put("to", recipient);
        if (content instanceof OutboundContent.Choices choices && interactive(choices)) {
            interactive(message, choices, language);
        } else {
            message.put("type", "text");
            message.put("text", Map.of("body", sentText(content, () -> language), "preview_url", false));
        }
        return message;
    }

    /** His language as the flow last set it (the language command changes it), else his conversation's. */
    private String languageOf(String recipient) {
        var contact = conversations.findContact(TYPE, recipient);
        var language = contact.map(c -> conversations.contact(c).preferredLanguage()).orElse(null);
        if (language == null) {
            language = contact.flatMap(conversations::latestConversation)
                    .map(c -> conversations.conversation(c).language())
                    .orElse(null);
        }
        return language != null ? language : settings.defaultLanguage();
    }

    /**
     * Up to three short choices as reply buttons, up to ten as a list (long labels shortened in the title and
     * given whole in the description); more, a label too long for a description or a question too long for an
     * interactive message go as numbered lines he answers by number, so that no word of them is lost.
     */
    static boolean interactive(OutboundContent.Choices choices) {
        var options = choices.choices();
        return !options.isEmpty() && options.size() <= MAX_ROWS
                && !choices.text().isBlank() && choices.text().length() <= MAX_INTERACTIVE_BODY
                && options.stream().allMatch(o -> !o.label().isBlank() && o.label().length() <= MAX_ROW_DESCRIPTION)
                && (buttons(options) || distinct(options.stream().map(o -> shorten(o.label(), MAX_ROW_TITLE)).toList()));
    }

    /**
     * Reply buttons need titles that are unique within the message; two labels alike (or two long ones shortened
     * to one list title) go as a list, or else numbered, where he can tell them apart.
     */
    private static boolean buttons(List<OutboundContent.Choice> options) {
        return options.size() <= MAX_BUTTONS && options.stream().allMatch(o -> o.label().length() <= MAX_BUTTON_TITLE)
                && distinct(options.stream().map(OutboundContent.Choice::label).toList());
    }

    /** Compared stripped and case-folded: Meta does not say how it compares, so the stricter reading is taken. */
    private static boolean distinct(List<String> titles) {
        return titles.stream().map(t -> t.strip().toLowerCase(Locale.ROOT)).distinct().count() == titles.size();
    }

    private static String numbered(OutboundContent.Choices choices) {
        var lines = new StringBuilder(choices.text());
        var options = choices.choices();
        for (int i = 0; i < options.size(); i++) {
            lines.append(i == 0 ? "\n\n" : "\n").append(i + 1).append(". ").append(options.get(i).label());
        }
        return lines.toString().strip();
    }

    private static void interactive(Map<String, Object> message, OutboundContent.Choices choices, String language) {
        var options = choices.choices();
        message.put("type", "interactive");
        var interactive = new LinkedHashMap<String, Object>();
        if (buttons(options)) {
            var buttons = new ArrayList<Map<String, Object>>();
            for (var option : options) {
                buttons.add(Map.of("type", "reply", "reply", Map.of("id", option.id(), "title", option.label())));
            }
            interactive.put("type", "button");
            interactive.put("body", Map.of("text", choices.text()));
            interactive.put("action", Map.of("buttons", buttons));
        } else {
            var rows = new ArrayList<Map<String, Object>>();
            for (var option : options) {
                var row = new LinkedHashMap<String, Object>();
                row.put("id", option.id());
                row.put("title", shorten(option.label(), MAX_ROW_TITLE));
                if (option.label().length() > MAX_ROW_TITLE) {
                    row.put("description", option.label());
                }
                rows.add(row);
            }
            interactive.put("type", "list");
            interactive.put("body", Map.of("text", choices.text()));
            interactive.put("action", Map.of("button", WhatsAppTexts.listButton(language),
                    "sections", List.of(Map.of("rows", rows))));
        }
        message.put("interactive", interactive);
    }

    /** Cuts at the last word boundary that fits, with an ellipsis, so a title stays readable. */
    static String shorten(String label, int max) {
        if (label.length() <= max) {
            return label;
        }
        var cut = label.substring(0, max - 1);
        var space = cut.lastIndexOf(' ');
        if (space >= max / 2) {
            cut = cut.substring(0, space);
        }
        return cut.stripTrailing() + "…";
    }

    @Override
    public DeliveryResult deliver(String endpoint, String recipient, String rendered) {
        if (!settings.enabled() || !settings.phoneNumberId().equals(endpoint)) {
            return new DeliveryResult.Failed("whatsapp.unknown-number", false);
        }
        var request = json.readTree(rendered);
        var language = request.path("language").asString(settings.defaultLanguage());
        var contact = windows.contactRef(endpoint, recipient);
        try {
            if (!windows.open(contact)) {
                return sendTemplate(endpoint, recipient, language);
            }
            var answer = api.sendMessage(endpoint, json.writeValueAsString(request.path("message")));
            if (answer.ok()) {
                return sent(answer);
            }
            if (answer.errorCode() == 131047) {
                // Meta's clock says his window closed: templates only until he writes again
                windows.close(contact);
                return sendTemplate(endpoint, recipient, language);
            }
            return failure(answer);
        } catch (IOException e) {
            return ChannelHttp.notDelivered(e, "whatsapp.network");
        }
    }

    private DeliveryResult sendTemplate(String endpoint, String recipient, String language) throws IOException {
        var template = settings.template(language).orElse(null);
        if (template == null) {
            return new DeliveryResult.Failed("whatsapp.window-closed-no-template", false);
        }
        var code = template.languageCode() != null ? template.languageCode()
                : settings.templates().get(language) == template ? language : settings.defaultLanguage();
        var answer = api.sendMessage(endpoint, api.write(Map.of(
                "messaging_product", "whatsapp",
                "recipient_type", "individual",
                "to", recipient,
                "type", "template",
                "template", Map.of("name", template.name(), "language", Map.of("code", code)))));
        if (!answer.ok()) {
            return failure(answer);
        }
        var result = sent(answer);
        if (result instanceof DeliveryResult.Sent sent) {
            reports.record(sent.channelMessageId(), WhatsAppReports.TEMPLATE, null, null);
        }
        return result;
    }

    private DeliveryResult sent(WhatsAppGraphApi.Answer answer) {
        var wamid = answer.body().path("messages").path(0).path("id");
        // accepted without an id: it went, but no status will ever match it
        return new DeliveryResult.Sent(wamid.isString() ? ref(wamid.asString()) : null);
    }

    /** The Cloud API's documented error codes (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). */
    static DeliveryResult failure(WhatsAppGraphApi.Answer answer) {
        var code = answer.errorCode();
        return switch (code) {
            // throughput of the number, or too many to one person at once
            case 130429, 80007 -> new DeliveryResult.RetryLater(null, true, "whatsapp." + code);
            case 131056 -> new DeliveryResult.RetryLater(null, false, "whatsapp." + code);
            // spam rate limit: the number is held back for a while
            case 131048 -> new DeliveryResult.RetryLater(Duration.ofMinutes(1), true, "whatsapp." + code);
            // temporary on Meta's side
            case 131000, 131016, 2, 1 -> new DeliveryResult.RetryLater(null, false, "whatsapp." + code);
            // the token expired or lost its permission: nothing goes until an admin fixes it
            case 190, 10, 200 -> new DeliveryResult.RetryLater(Duration.ofMinutes(1), true, "whatsapp." + code);
            // not a WhatsApp user, or no longer reachable
            case 131026 -> new DeliveryResult.Failed("whatsapp." + code, true);
            default -> {
                if (code == 0 && (answer.status() == 429 || answer.status() >= 500)) {
                    yield new DeliveryResult.RetryLater(null, answer.status() == 429, "whatsapp.http-" + answer.status());
                }
                if (answer.status() >= 500) {
                    yield new DeliveryResult.RetryLater(null, false, "whatsapp." + code);
                }
                yield new DeliveryResult.Failed(code == 0 ? "whatsapp.http-" + answer.status() : "whatsapp." + code, false);
            }
        };
    }

    /** GET the media's URL, then the bytes, both with the bearer token. */
    @Override
    public Fetched fetch(String endpoint, String reference) throws IOException {
        var answer = api.media(reference);
        var url = answer.body() == null ? null : answer.body().path("url");
        if (!answer.ok() || url == null || !url.isString()) {
            throw new IOException("media lookup answered " + answer.status());
        }
        var mediaType = answer.body().path("mime_type").asString("application/octet-stream")
                .split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.matches("[a-z]+/[a-z0-9.+-]{1,50}")) {
            mediaType = "application/octet-stream";
        }
        return new Fetched(mediaType, api.download(URI.create(url.asString())));
    }

    @Override
    public RateLimits limits(String endpoint) {
        return new RateLimits(settings.perRecipientPerSecond(), settings.perNumberPerSecond());
    }
}
