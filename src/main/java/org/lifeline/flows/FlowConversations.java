package org.lifeline.flows;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseLifecycle;
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
import org.lifeline.platform.Savepoints;
import org.lifeline.platform.ServiceName;
import org.lifeline.site.ChannelList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Drives conversations through the flows: each inbound event becomes one engine input, applied under the
 * session's row lock in the transaction that processes the update; the engine's effects (a case opened, a
 * handover, a deletion) and its answers (into the outbox) commit together with the new session state.
 */
@Component
class FlowConversations implements InboundEventHandler {

    private static final Logger log = LoggerFactory.getLogger(FlowConversations.class);

    static final String ENTRY_FLOW = "main";
    static final String ACTOR = "flow";
    /** The placeholder flows write for the service's configured name ({@code lifeline.service-name.<lang>}). */
    static final String SERVICE_NAME = "service_name";

    private final FlowCatalog catalog;
    private final FlowSessions sessions;
    private final FlowSnapshots snapshots;
    private final ConversationManagement conversations;
    private final CaseManagement cases;
    private final ChannelGateway gateway;
    private final ServiceName serviceName;
    private final FlowsSettings settings;
    private final ChannelList channelList;
    private final Savepoints savepoints;

    FlowConversations(FlowCatalog catalog, FlowSessions sessions, FlowSnapshots snapshots,
            ConversationManagement conversations, CaseManagement cases, ChannelGateway gateway,
            ServiceName serviceName, FlowsSettings settings, ChannelList channelList, Savepoints savepoints) {
        this.catalog = catalog;
        this.sessions = sessions;
        this.snapshots = snapshots;
        this.conversations = conversations;
        this.cases = cases;
        this.gateway = gateway;
        this.serviceName = serviceName;
        this.settings = settings;
        this.channelList = channelList;
        this.savepoints = savepoints;
    }

    @Override
    @Transactional
    public void on(InboundEvent event) {
        if (event instanceof InboundEvent.CallbackRequested callback) {
            openCallbackCase(callback);
            return;
        }
        var conversation = event.conversation();
        var stored = sessions.lock(conversation);
        var handedOver = conversations.conversation(conversation).status() == ConversationStatus.HANDED_OVER;
        Step step;
        Instant due;
        try {
            var input = input(event);
            var command = input instanceof Input.CommandGiven
                    || stored.isPresent() && restoreAndCheckCommand(stored.get().session(), input);
            if (handedOver && !command) {
                // an operator has the conversation: the message waits in the console, the bot stays quiet; only
                // commands (/delete above all) still work
                return;
            }
            if (stored.isEmpty() || event instanceof InboundEvent.Started
                    || stored.get().session().finished() && !command) {
                step = engine().start(ENTRY_FLOW, new Entry(entryCode(event), null, event.languageHint(), true), input);
            } else {
                var session = stored.get().session();
                snapshots.restoreInto(catalog.registry(), session.flow(), session.version());
                step = engine().handle(session, input);
            }
            due = engine().dueAt(step.session()).orElse(null);
        } catch (DataAccessException e) {
            // the database's failure is the transaction's: it is rolled back and the update taken again
            throw e;
        } catch (RuntimeException e) {
            // the class name only: a message may quote what he wrote
            log.warn("A flow step failed ({}); the conversation goes to an operator", e.getClass().getSimpleName());
            handOverAfterFailure(conversation, language(stored, event.languageHint()), Notice.IF_TAKEN);
            return;
        }
        apply(event.contact(), conversation, stored, step, due, false);
    }

    @Override
    public java.util.List<OutboundContent> opening(String languageHint, String entryCode) {
        try {
            var step = engine().start(ENTRY_FLOW, new Entry(entryCode, null, languageHint, true),
                    new Input.CommandGiven(Command.RESTART));
            var values = values(step.session().language());
            return step.outputs().stream().map(output -> content(output.fill(values))).toList();
        } catch (RuntimeException e) {
            // the real start answers, or hands over, as any start does
            log.warn("Working out a flow's opening failed ({})", e.getClass().getSimpleName());
            return java.util.List.of();
        }
    }

    /**
     * An update of his failed outside the engine (the database, the outbox, a channel adapter, a bug) on every
     * attempt and was set aside: as when a step fails, the conversation goes to the operators' queue and he is told.
     */
    @Override
    @Transactional
    public void onSetAside(ContactId contact, ConversationId conversation, String languageHint) {
        handOverAfterFailure(conversation, language(sessions.lock(conversation), languageHint), Notice.REQUIRED);
    }

    /** The language he is spoken to in: his session's, else the channel's hint; none means every language. */
    private static String language(Optional<FlowSessions.Stored> stored, String languageHint) {
        return stored.map(s -> s.session().language()).orElse(languageHint);
    }

    /** What he is told when his conversation goes to the operators after a failure. */
    private enum Notice {
        /** Nothing: he is waiting for no answer (a timer's step nobody asked for). */
        NONE,
        /** The notice, or the handover fails with it: the caller hands over without it and says so. */
        REQUIRED,
        /**
         * The notice if the outbox takes it: refused (no route, a channel refusing the content), it is rolled back
         * alone, to a savepoint, and the handover and the rest of the update stand; the log says he was not told.
         */
        IF_TAKEN
    }

    /**
     * A step the engine could not take (a bug, or a flow problem validation did not catch), or an update that failed
     * on every attempt, must neither leave him in silence nor lose his message to retries: the conversation goes to
     * the operators' queue, as if he had asked for a person, and he is told so as {@code notice} says. Nothing has
     * been written for the step, and the failure did not come from the database, so the transaction still holds; the
     * session is left as it was.
     */
    private void handOverAfterFailure(ConversationId conversation, String language, Notice notice) {
        if (conversations.conversation(conversation).status() == ConversationStatus.HANDED_OVER) {
            return;
        }
        conversations.changeStatus(conversation, ConversationStatus.HANDED_OVER);
        if (notice == Notice.NONE) {
            return;
        }
        Output text;
        try {
            text = engine().handoverNotice(ENTRY_FLOW, language);
        } catch (RuntimeException failedAgain) {
            // the operators see the conversation all the same
            return;
        }
        var values = new HashMap<String, String>();
        values.put(SERVICE_NAME, serviceName.in(language));
        var contents = java.util.List.of(content(text.fill(values)));
        if (notice == Notice.REQUIRED) {
            gateway.send(conversation, contents);
            return;
        }
        try {
            // the notice alone in a savepoint, after the handover: a rollback to it must not take back a write whose
            // row the transaction keeps in memory (the conversation's status)
            savepoints.attempt(() -> gateway.send(conversation, contents));
        } catch (DataAccessException e) {
            throw e;
        } catch (RuntimeException refused) {
            // the class name only: a message may name the conversation or quote the notice
            log.error("Telling him that his conversation went to an operator failed ({}): the operators have it, he "
                    + "was not told", refused.getClass().getSimpleName());
        }
    }

    /**
     * A caller asked to be called back: a case of what he said it was about, for the operators, who decide when
     * (and whether) calling his phone is safe. The flows say nothing: the phone line has no messages to send.
     */
    private void openCallbackCase(InboundEvent.CallbackRequested callback) {
        var kind = "family".equals(callback.about()) ? CaseKind.FAMILY_INQUIRY : CaseKind.SURRENDER_REQUEST;
        var details = new LinkedHashMap<String, String>();
        details.put("callback", "requested");
        details.put("source", "phone");
        cases.open(kind, callback.contact(), callback.conversation(), details, ACTOR);
        conversations.changeStatus(callback.conversation(), ConversationStatus.HANDED_OVER);
    }

    private boolean restoreAndCheckCommand(org.lifeline.flows.engine.Session session, Input input) {
        snapshots.restoreInto(catalog.registry(), session.flow(), session.version());
        return engine().isCommand(session, input);
    }

    /**
     * Reminds or expires a session whose due time has come by {@code now}; run periodically on every node. What the
     * engine would say then was not asked for: it is dropped unless {@code unsolicited-messages} is {@code silent},
     * and then sent as notices, silent where the channel can. Returns how many messages it sent (none when the
     * session was not due after all, or another node has it).
     */
    @Transactional
    int tick(ConversationId conversation, Instant now) {
        var stored = sessions.tryLockDue(conversation, now);
        if (stored.isEmpty()) {
            return 0;
        }
        var session = stored.get().session();
        if (session.finished()) {
            sessions.reschedule(conversation, null);
            return 0;
        }
        Step ticked;
        Instant due;
        try {
            snapshots.restoreInto(catalog.registry(), session.flow(), session.version());
            ticked = engine().handle(session, new Input.Tick());
            due = engine().dueAt(ticked.session()).orElse(null);
        } catch (DataAccessException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("A flow step failed ({}); the conversation goes to an operator", e.getClass().getSimpleName());
            handOverAfterFailure(conversation, session.language(), Notice.NONE);
            // or it would fail again every half minute
            sessions.reschedule(conversation, null);
            return 0;
        }
        if (ticked.outputs().isEmpty() && ticked.effects().isEmpty() && ticked.session().equals(session)) {
            // nothing to do yet: a due time set before it could be worked out (a session stored before due times
            // were), now put right without touching the session
            sessions.reschedule(conversation, due);
            return 0;
        }
        var step = settings.unsolicitedMessages() == FlowsSettings.Unsolicited.OFF
                ? new Step(ticked.session(), java.util.List.of(), ticked.effects()) : ticked;
        var contact = conversations.conversation(conversation).contact();
        apply(contact, conversation, stored, step, due, true);
        return step.outputs().size();
    }

    private void apply(ContactId contact, ConversationId conversation, Optional<FlowSessions.Stored> stored, Step step,
                       Instant due, boolean unsolicited) {
        catalog.registry().find(step.session().flow(), step.session().version()).ifPresent(snapshots::keep);
        var caseId = stored.map(FlowSessions.Stored::caseId).orElse(null);
        var values = values(step.session().language());
        for (var effect : step.effects()) {
            switch (effect) {
                case Effect.OpenCase open -> {
                    var opened = cases.open(kind(open.kind()), contact, conversation, open.fields(), ACTOR);
                    caseId = opened.id();
                    values.put(FlowEngine.CASE_REFERENCE, opened.reference());
                }
                case Effect.UpdateCase update -> {
                    var current = caseId == null ? null : cases.find(caseId).orElseThrow();
                    // a case closed meanwhile takes no more answers (they stay in the transcript)
                    if (current != null && !current.erased() && !CaseLifecycle.finished(current.state())) {
                        var merged = new LinkedHashMap<>(current.details());
                        merged.putAll(update.fields());
                        cases.updateDetails(current.id(), merged, current.version());
                    }
                }
                case Effect.Handover handover -> conversations.changeStatus(conversation, ConversationStatus.HANDED_OVER);
                case Effect.End end -> {
                }
                case Effect.DeleteDataRequested delete -> {
                    send(conversation, step, values, unsolicited);
                    stored.ifPresent(sessions::delete);
                    conversations.forget(contact);
                    return;
                }
            }
        }
        var language = step.session().language();
        if (language != null && !language.equals(stored.map(s -> s.session().language()).orElse(null))) {
            // the contact took the session's language when the session did: asked again only when it changes
            conversations.setPreferredLanguage(contact, language);
        }
        send(conversation, step, values, unsolicited);
        sessions.save(conversation, stored, step.session(), caseId, due);
    }

    /** What flows' placeholders are filled with, beside a case's reference. */
    private Map<String, String> values(String language) {
        Map<String, String> values = new HashMap<>();
        values.put(SERVICE_NAME, serviceName.in(language));
        values.putAll(OfficialChannelTexts.values(channelList));
        return values;
    }

    private void send(ConversationId conversation, Step step, Map<String, String> values, boolean unsolicited) {
        // one batch: the route, the conversation and his address are looked up once for all the step says
        gateway.send(conversation, step.outputs().stream().map(output -> content(output.fill(values)))
                .map(content -> unsolicited ? new OutboundContent.Notice(content.text()) : content).toList());
    }

    static OutboundContent content(Output output) {
        return switch (output) {
            case Output.Text text -> new OutboundContent.Text(text.text());
            case Output.Question question when question.options().isEmpty() -> new OutboundContent.Text(question.text());
            case Output.Question question -> new OutboundContent.Choices(question.text(), question.options().stream()
                    .map(o -> new OutboundContent.Choice(o.id(), o.label())).toList());
            case Output.LocationRequest location -> new OutboundContent.LocationRequest(location.text(), location.buttonLabel());
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
            case InboundEvent.CallbackRequested callback -> throw new IllegalArgumentException("not a flow input");
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
