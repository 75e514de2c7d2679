package org.lifeline.webchat;

import java.util.List;
import java.util.UUID;

import org.lifeline.channels.ChannelAdapter;
import org.lifeline.channels.ChannelInput;
import org.lifeline.channels.DeliveryResult;
import org.lifeline.channels.OutboundContent;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web chat as a channel. Inbound: the page's posts, stored by {@link WebChat} as small JSON payloads. Outbound:
 * the page fetches nothing from outside, so "delivering" keeps what the page needs beside the message text (its
 * kind and choices) for the next page view, which then marks the message delivered.
 */
@Component
class WebChatAdapter implements ChannelAdapter {

    static final String TYPE = "webchat";
    /** One endpoint: every mirror host and the onion reach the same chat. */
    static final String ENDPOINT = "web";

    private final ChatDeliveries deliveries;
    private final JsonMapper json;

    WebChatAdapter(ChatDeliveries deliveries, JsonMapper json) {
        this.deliveries = deliveries;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> endpoints() {
        return List.of(ENDPOINT);
    }

    /** What the page posted (see {@link Posted}). */
    @Override
    public ChannelInput interpret(String endpoint, String payload) {
        var posted = json.readValue(payload, Posted.class);
        return switch (posted.type()) {
            // a start's value is the entry code of the campaign link he came by, if any; its language is the page's,
            // which he chose (a campaign's link leads to the campaign's)
            case "start" -> new ChannelInput.Start(posted.sender(), posted.language(), posted.value(), null, true);
            case "text" -> new ChannelInput.Text(posted.sender(), posted.language(), posted.value(), null);
            case "choice" -> new ChannelInput.Choice(posted.sender(), posted.language(), posted.value(), null);
            default -> new ChannelInput.Ignored("unknown web chat post");
        };
    }

    @Override
    public String render(String endpoint, String recipient, OutboundContent content) {
        return json.writeValueAsString(switch (content) {
            case OutboundContent.Choices choices -> new Question(Question.CHOICES, choices.choices());
            case OutboundContent.LocationRequest location -> new Question(Question.LOCATION, List.of());
            case OutboundContent.Text text -> new Question(Question.TEXT, List.of());
            case OutboundContent.Notice notice -> new Question(Question.TEXT, List.of());
        });
    }

    /** Kept for the page; the id becomes the message's channel message id, by which the page finds it again. */
    @Override
    public DeliveryResult deliver(String endpoint, String recipient, String rendered) {
        var id = UUID.randomUUID();
        deliveries.add(id, rendered);
        return new DeliveryResult.Sent(id.toString());
    }

    Question question(String rendered) {
        return json.readValue(rendered, Question.class);
    }

    @Override
    public boolean sendersWait() {
        return true;
    }

    /** One post from the page: {@code type} is {@code start}, {@code text} or {@code choice}. */
    record Posted(String type, String sender, String language, String value) {
    }

    /** What a message asks of the page beside its text. */
    record Question(String kind, List<OutboundContent.Choice> choices) {
        static final String TEXT = "text";
        static final String CHOICES = "choices";
        static final String LOCATION = "location";

        String label(String choiceId) {
            return choices.stream().filter(c -> c.id().equals(choiceId)).map(OutboundContent.Choice::label)
                    .findFirst().orElse(choiceId);
        }
    }

    String write(Posted posted) {
        return json.writeValueAsString(posted);
    }
}
