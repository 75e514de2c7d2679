package org.lifeline.cases;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseLifecycle;
import org.lifeline.cases.lifecycle.CaseState;
import org.lifeline.cases.lifecycle.CloseReason;
import org.lifeline.cases.lifecycle.IllegalTransition;
import org.lifeline.cases.lifecycle.StatusChange;
import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.platform.Savepoints;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens cases, moves them through their {@link CaseLifecycle} and keeps their history. Details and notes are
 * encrypted under the case's own data key. Every change names the version it was based on, so that of two
 * operators working on one case, the second is told to reload instead of silently overwriting the first.
 */
@Service
@Transactional
public class CaseManagement {

    private static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern DETAIL_KEY = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final TypeReference<LinkedHashMap<String, String>> DETAILS = new TypeReference<>() {
    };
    private static final int REFERENCE_ATTEMPTS = 5;
    /** The actor of a case closed because the requester had his data deleted. */
    static final String REQUESTER = "requester";

    private final Cases cases;
    private final ConversationManagement conversations;
    private final DataProtection protection;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Savepoints savepoints;
    private final CaseReferences references;
    private final JsonMapper json = JsonMapper.shared();

    CaseManagement(Cases cases, ConversationManagement conversations, DataProtection protection,
            ApplicationEventPublisher events, Clock clock, Savepoints savepoints, CaseReferences references) {
        this.cases = cases;
        this.references = references;
        this.conversations = conversations;
        this.protection = protection;
        this.events = events;
        this.clock = clock;
        this.savepoints = savepoints;
    }

    /**
     * Opens a case in status NEW with a fresh reference and its own data key.
     *
     * @param contact the requester, or {@code null} (for example a case entered by an operator from a phone call)
     * @param conversation the conversation it came from, which must be the contact's; or {@code null}
     * @param details the answers collected so far, keys such as {@code unit} or {@code birth_date}
     */
    public CaseView open(CaseKind kind, ContactId contact, ConversationId conversation, Map<String, String> details,
            String actor) {
        Objects.requireNonNull(kind, "kind");
        checkActor(actor);
        var detailsCopy = checkedDetails(details);
        if (conversation != null && !conversations.conversation(conversation).contact().equals(contact)) {
            throw new IllegalArgumentException("Conversation " + conversation.value() + " belongs to another contact");
        }
        var id = new CaseId(UUID.randomUUID());
        var now = clock.instant();
        var key = protection.newDataKey();
        var detailsEnc = protection.encrypt(key, toJson(detailsCopy), detailsContext(id));
        insertWithFreshReference(id, kind, contact, conversation, key, detailsEnc, now);
        cases.insertTransition(id, 0, null, CaseState.opened(kind), null, actor, now);
        events.publishEvent(new CaseOpened(id));
        return view(row(id));
    }

    private void insertWithFreshReference(CaseId id, CaseKind kind, ContactId contact, ConversationId conversation,
            DataKeyId key, byte[] detailsEnc, Instant now) {
        for (int attempt = 1; ; attempt++) {
            var reference = references.next();
            try {
                savepoints.attempt(() -> {
                    cases.insert(id, reference, kind, contact, conversation, key, detailsEnc, now);
                    return null;
                });
                return;
            } catch (DuplicateKeyException e) {
                // a reference already taken: rare with 887 million, so a few attempts always suffice in practice
                if (attempt == REFERENCE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Transactional(readOnly = true)
    public Optional<CaseView> find(CaseId id) {
        return cases.find(id).map(this::view);
    }

    /** By the reference as the requester typed or said it: case, spaces and dashes do not matter. */
    @Transactional(readOnly = true)
    public Optional<CaseView> findByReference(String reference) {
        return CaseReferences.normalize(reference).flatMap(cases::findByReference).map(this::view);
    }

    /** Every case not closed, the most recently changed first: what the console queue shows. */
    @Transactional(readOnly = true)
    public List<CaseView> active() {
        return cases.active().stream().map(this::view).toList();
    }

    @Transactional(readOnly = true)
    public Optional<CaseView> findByConversation(ConversationId conversation) {
        return cases.findByConversation(conversation).map(this::view);
    }

    /**
     * Gives the case to an operator ({@code null}: to nobody); a change like any other, so it bumps the version.
     *
     * @throws CaseUnchangeable if the case is finished or was erased
     */
    public CaseView assign(CaseId id, String assignee, long expectedVersion) {
        if (assignee != null) {
            checkActor(assignee);
        }
        open(id, expectedVersion);
        if (!cases.assign(id, assignee, clock.instant(), expectedVersion)) {
            throw stale(id, expectedVersion);
        }
        events.publishEvent(new CaseStatusChanged(id));
        return view(row(id));
    }

    /**
     * Moves the case to another status and records who, when and why.
     *
     * @param note free text for the history, encrypted; or {@code null}
     * @throws IllegalTransition if the lifecycle does not allow the change
     * @throws CaseUnchangeable if the case was erased
     * @throws OptimisticLockingFailureException if the case changed since {@code expectedVersion}
     */
    public CaseView transition(CaseId id, StatusChange change, String note, String actor, long expectedVersion) {
        Objects.requireNonNull(change, "change");
        checkActor(actor);
        var row = current(id, expectedVersion);
        if (row.erasedAt() != null) {
            throw CaseUnchangeable.erased(id);
        }
        var next = CaseLifecycle.apply(row.state(), change);
        var now = clock.instant();
        if (!cases.updateState(id, next, now, expectedVersion)) {
            throw stale(id, expectedVersion);
        }
        var version = expectedVersion + 1;
        cases.insertTransition(id, version, row.state().status(), next,
                protection.encryptOptional(row.key(), note, noteContext(id, version)), actor, now);
        events.publishEvent(new CaseStatusChanged(id));
        return view(row(id));
    }

    /**
     * Replaces the details.
     *
     * @throws CaseUnchangeable if the case is finished or was erased
     */
    public CaseView updateDetails(CaseId id, Map<String, String> details, long expectedVersion) {
        var detailsCopy = checkedDetails(details);
        var row = open(id, expectedVersion);
        var encrypted = protection.encrypt(row.key(), toJson(detailsCopy), detailsContext(id));
        if (!cases.updateDetails(id, encrypted, clock.instant(), expectedVersion)) {
            throw stale(id, expectedVersion);
        }
        return view(row(id));
    }

    /** Every transition from the opening on, oldest first; notes are gone once the case was erased. */
    @Transactional(readOnly = true)
    public List<CaseTransition> history(CaseId id) {
        var key = row(id).key();
        return cases.transitions(id).stream()
                .map(t -> new CaseTransition(t.version(), t.from(), t.to(), t.reason(), t.outcome(),
                        protection.decryptOptional(key, t.noteEnc(), noteContext(id, t.version())), t.actor(), t.at()))
                .toList();
    }

    private Cases.Row current(CaseId id, long expectedVersion) {
        var row = row(id);
        if (row.version() != expectedVersion) {
            throw stale(id, expectedVersion);
        }
        return row;
    }

    /** The case at that version, if neither finished nor erased. */
    private Cases.Row open(CaseId id, long expectedVersion) {
        var row = current(id, expectedVersion);
        if (row.erasedAt() != null) {
            throw CaseUnchangeable.erased(id);
        }
        if (CaseLifecycle.finished(row.state())) {
            throw CaseUnchangeable.finished(id);
        }
        return row;
    }

    private Cases.Row row(CaseId id) {
        Objects.requireNonNull(id, "id");
        return cases.find(id).orElseThrow(() -> new NoSuchElementException("No case " + id.value()));
    }

    private CaseView view(Cases.Row row) {
        var erased = row.erasedAt() != null;
        var details = erased ? new LinkedHashMap<String, String>()
                : json.readValue(protection.decrypt(row.key(), row.detailsEnc(), detailsContext(row.id())), DETAILS);
        var state = row.state();
        return new CaseView(row.id(), row.reference(), state.kind(), state.status(), state.closeReason(),
                state.outcome(), row.contact(), row.conversation(), Collections.unmodifiableMap(details),
                row.createdAt(), row.updatedAt(), row.version(), row.assignee(), erased);
    }

    /**
     * Erases the personal fields of every case of this contact by destroying the cases' keys; a case still open
     * is closed as withdrawn by the requester. What remains is an anonymous outcome, counted in reports.
     */
    void eraseCasesOf(ContactId contact) {
        for (var row : cases.ofContact(contact)) {
            if (row.erasedAt() != null) {
                continue;
            }
            var now = clock.instant();
            var version = row.version();
            if (CaseLifecycle.closeReasons(row.state()).contains(CloseReason.WITHDRAWN)) {
                var next = CaseLifecycle.apply(row.state(), StatusChange.close(CloseReason.WITHDRAWN));
                if (!cases.updateState(row.id(), next, now, version)) {
                    throw stale(row.id(), version);
                }
                version++;
                cases.insertTransition(row.id(), version, row.state().status(), next, null, REQUESTER, now);
            }
            protection.destroy(row.key());
            cases.erase(row.id(), now);
            events.publishEvent(new CaseStatusChanged(row.id()));
        }
    }

    private String toJson(Map<String, String> details) {
        return json.writeValueAsString(details);
    }

    private static OptimisticLockingFailureException stale(CaseId id, long expectedVersion) {
        return new OptimisticLockingFailureException("Case " + id.value() + " was changed by someone else since "
                + "version " + expectedVersion + ": reload it and try again");
    }

    private static Map<String, String> checkedDetails(Map<String, String> details) {
        Objects.requireNonNull(details, "details");
        details.forEach((key, value) -> {
            if (key == null || !DETAIL_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("Detail keys are names such as unit or birth_date (expected "
                        + DETAIL_KEY.pattern() + ")");
            }
            Objects.requireNonNull(value, "value of detail " + key);
        });
        return new LinkedHashMap<>(details);
    }

    private static void checkActor(String actor) {
        if (actor == null || !ACTOR.matcher(actor).matches()) {
            throw new IllegalArgumentException("An actor is a user name or a component name (expected "
                    + ACTOR.pattern() + ")");
        }
    }

    private static String detailsContext(CaseId id) {
        return "support_case.details:" + id.value();
    }

    private static String noteContext(CaseId id, long version) {
        return "case_transition.note:" + id.value() + ":" + version;
    }
}
