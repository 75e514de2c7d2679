package org.lifeline.flows;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.channels.ChannelGateway;
import org.lifeline.channels.InboundEvent;
import org.lifeline.channels.InboundEventHandler;
import org.lifeline.channels.OutboundContent;
import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.ConversationStatus;
import org.lifeline.flows.engine.Command;
import org.lifeline.flows.engine.Effect;
import org.lifeline.flows.engine.Entry;
import org.lifeline.flows.engine.FlowEngine;
import org.lifeline.flows.engine.Input;
import org.lifeline.flows.engine.Output;
import org.lifeline.flows.engine.Step;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Drives conversations through the flows: each inbound event becomes one engine input, applied under the
 * session's row lock in the transaction that processes the update; the engine's effects (a case opened, a
 * handover, a deletion) and its answers (into the outbox) commit together with the new session state.
 */
@Component
class FlowConversations implements InboundEventHandler {

    static final String ENTRY_FLOW = "main";
    static final String ACTOR = "flow";
    /** How long a session waits untouched before the engine is asked whether to remind or expire it. */
    static final Duration TICK_AFTER = Duration.ofMinutes(1);

    private final FlowCatalog catalog;
    private final FlowSessions sessions;
    private final FlowSnapshots snapshots;
    private final ConversationManagement conversations;
    private final CaseManagement cases;
    private final ChannelGateway gateway;

    FlowConversations(FlowCatalog catalog, FlowSessions sessions, FlowSnapshots snapshots,
            ConversationManagement conversations, CaseManagement cases, ChannelGateway gateway) {
        this.catalog = catalog;
        this.sessions = sessions;
        this.snapshots = snapshots;
        this.conversations = conversations;
        this.cases = cases;
        this.gateway = gateway;
    }

    @Override
    @Transactional
    public void on(InboundEvent event) {
        var conversation = event.conversation();
        var stored = sessions.lock(conversation);
        var input = input(event);
        var handedOver = conversations.conversation(conversation).status() == ConversationStatus.HANDED_OVER;
        if (handedOver && !(input instanceof Input.CommandGiven)) {
            // an operator has the conversation: the message waits in the console, the bot stays quiet
            return;
        }
        Step step;
        if (stored.isEmpty() || stored.get().session().finished() || event instanceof InboundEvent.Started) {
            step = engine().start(ENTRY_FLOW, new Entry(entryCode(event), null, event.languageHint(), true));
        } else {
            var session = stored.get().session();
            snapshots.restoreInto(catalog.registry(), session.flow(), session.version());
            step = engine().handle(session, input);
        }
        apply(event.contact(), conversation, stored, step);
    }

    /** Reminds or expires sessions that have waited for an answer; run periodically on every node. */
    @Transactional
    int tick(ConversationId conversation) {
        var stored = sessions.tryLock(conversation);
        if (stored.isEmpty() || stored.get().session().finished()) {
            return 0;
        }
        var session = stored.get().session();
        snapshots.restoreInto(catalog.registry(), session.flow(), session.version());
        var step = engine().handle(session, new Input.Tick());
        var contact = conversations.conversation(conversation).contact();
        apply(contact, conversation, stored, step);
        return step.outputs().size();
    }

    private void apply(ContactId contact, ConversationId conversation, Optional<FlowSessions.Stored> stored, Step step) {
        catalog.registry().find(step.session().flow(), step.session().version()).ifPresent(snapshots::keep);
        var caseId = stored.map(FlowSessions.Stored::caseId).orElse(null);
        Map<String, String> values = new HashMap<>();
        for (var effect : step.effects()) {
            switch (effect) {
                case Effect.OpenCase open -> {
                    var opened = cases.open(kind(open.kind()), contact, conversation, open.fields(), ACTOR);
                    caseId = opened.id();
                    values.put(FlowEngine.CASE_REFERENCE, opened.reference());
                }
                case Effect.UpdateCase update -> {
                    if (caseId != null) {
                        var current = cases.find(caseId).orElseThrow();
                        var merged = new LinkedHashMap<>(current.details());
                        merged.putAll(update.fields());
                        cases.updateDetails(caseId, merged, current.version());
                    }
                }
                case Effect.Handover handover -> conversations.changeStatus(conversation, ConversationStatus.HANDED_OVER);
                case Effect.End end -> {
                }
                case Effect.DeleteDataRequested delete -> {
                    send(conversation, step, values);
                    stored.ifPresent(sessions::delete);
                    conversations.forget(contact);
                    return;
                }
            }
        }
        if (step.session().language() != null) {
            conversations.setPreferredLanguage(contact, step.session().language());
        }
        send(conversation, step, values);
        sessions.save(conversation, stored, step.session(), caseId);
    }

    private void send(ConversationId conversation, Step step, Map<String, String> values) {
        for (var output : step.outputs()) {
            gateway.send(conversation, content(values.isEmpty() ? output : output.fill(values)));
        }
    }

    static OutboundContent content(Output output) {
        return switch (output) {
            case Output.Text text -> new OutboundContent.Text(text.text());
            case Output.Question question when question.options().isEmpty() -> new OutboundContent.Text(question.text());
            case Output.Question question -> new OutboundContent.Choices(question.text(), question.options().stream()
                    .map(o -> new OutboundContent.Choice(o.id(), o.label())).toList());
            case Output.LocationRequest location -> new OutboundContent.LocationRequest(location.text(), "📍");
        };
    }

    static Input input(InboundEvent event) {
        return switch (event) {
            case InboundEvent.TextReceived text -> new Input.Text(text.text());
            case InboundEvent.ChoiceMade choice -> new Input.Choice(choice.choiceId());
            case InboundEvent.LocationShared location -> new Input.Location(location.latitude(), location.longitude());
            case InboundEvent.PhotoReceived photo -> new Input.Photo(photo.attachmentId());
            case InboundEvent.ContactShared contact -> new Input.Text(contact.phoneNumber());
            case InboundEvent.Started started -> new Input.CommandGiven(Command.RESTART);
        };
    }

    private static String entryCode(InboundEvent event) {
        return event instanceof InboundEvent.Started started ? started.entryCode() : null;
    }

    private static CaseKind kind(Effect.CaseKind kind) {
        return CaseKind.valueOf(kind.name());
    }

    private FlowEngine engine() {
        return catalog.engine();
    }
}
