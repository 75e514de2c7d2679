package org.lifeline.conversations;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.lifeline.platform.Savepoints;
import org.lifeline.platform.TimeOrderedIds;
import org.lifeline.privacy.DataKeyDestroyed;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Contacts, conversations and messages for the channels, the flows and the console. Everything personal is
 * encrypted under the contact's data key before it is stored; {@link #forget} destroys that key.
 * <p>
 * Channels are plain codes ({@code "telegram"}, {@code "webchat"}, {@code "whatsapp"}, {@code "voice"},
 * {@code "sms"}, …) so that a new channel needs no change here.
 */
@Service
@Transactional
public class ConversationManagement {

    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9-]{1,15}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}");
    /** Delivery details are codes such as {@code telegram.403}, never free text that could carry personal data. */
    private static final Pattern DETAIL_CODE = Pattern.compile("[a-z0-9_.:-]{1,64}");
    private static final int MAX_CHANNEL_MESSAGE_ID = 128;
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z]+/[a-z0-9.+-]{1,50}");

    private final Contacts contacts;
    private final Conversations conversations;
    private final Messages messages;
    private final Attachments attachments;
    private final DataProtection protection;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Savepoints savepoints;

    ConversationManagement(Contacts contacts, Conversations conversations, Messages messages, Attachments attachments,
            DataProtection protection, ApplicationEventPublisher events, Clock clock, Savepoints savepoints) {
        this.contacts = contacts;
        this.conversations = conversations;
        this.messages = messages;
        this.attachments = attachments;
        this.protection = protection;
        this.events = events;
        this.clock = clock;
        this.savepoints = savepoints;
    }

    /**
     * The contact this channel id belongs to, created on first contact with its own data key. A contact found is
     * locked for the rest of the transaction, as {@link #openOrResumeConversation} would lock him next (one statement
     * for both, for every message he sends).
     */
    public ContactId findOrCreateContact(String channel, String externalId, String languageHint) {
        check(CHANNEL, channel, "channel");
        Objects.requireNonNull(externalId, "externalId");
        checkLanguage(languageHint);
        var refs = externalRefs(channel, externalId);
        return contacts.findByRefs(channel, refs, true).orElseGet(() -> {
            try {
                return savepoints.attempt(() -> create(channel, externalId, refs.getFirst(), languageHint));
            } catch (DuplicateKeyException e) {
                // another message from him created the contact at the same moment
                return contacts.findByRefs(channel, refs, true).orElseThrow();
            }
        });
    }

    /** The contact this channel id belongs to, if he wrote before and was not forgotten; creates nothing. */
    @Transactional(readOnly = true)
    public Optional<ContactId> findContact(String channel, String externalId) {
        check(CHANNEL, channel, "channel");
        Objects.requireNonNull(externalId, "externalId");
        return contacts.findByRefs(channel, externalRefs(channel, externalId));
    }

    /** Under every index key, the current one first (what new contacts are stored with). */
    private List<byte[]> externalRefs(String channel, String externalId) {
        return protection.blindIndexes(externalRefPurpose(channel), externalId);
    }

    static String externalRefPurpose(String channel) {
        return "contact.external_id/" + channel;
    }

    private ContactId create(String channel, String externalId, byte[] ref, String language) {
        var id = new ContactId(TimeOrderedIds.next());
        var key = protection.newDataKey();
        contacts.insert(id, channel, ref, protection.encrypt(key, externalId, externalIdContext(id)), key, language,
                clock.instant());
        return id;
    }

    /** His id on the channel, for replying; empty once he was forgotten. */
    @Transactional(readOnly = true)
    public Optional<String> externalId(ContactId contact) {
        var row = contactRow(contact, false);
        return readable(row.key(), row.forgotten(), row.externalIdEnc(), externalIdContext(contact));
    }

    @Transactional(readOnly = true)
    public ContactView contact(ContactId contact) {
        var row = contactRow(contact, false);
        return new ContactView(row.id(), row.channel(), row.preferredLanguage(), row.reachability(), row.createdAt(),
                row.forgotten());
    }

    public void setPreferredLanguage(ContactId contact, String language) {
        checkLanguage(language);
        contactRow(contact, false);
        contacts.setLanguage(contact, language);
    }

    /** The contact a message was sent to or came from. */
    @Transactional(readOnly = true)
    public ContactId contactOf(MessageId message) {
        var row = messages.find(message).orElseThrow(() -> new NoSuchElementException("No message " + message.value()));
        return conversationRow(row.conversation()).contact();
    }

    /** The channel refused delivery (for example he blocked the bot). A blocked contact stays blocked. */
    public void markUnreachable(ContactId contact) {
        contactRow(contact, false);
        contacts.changeReachability(contact, Set.of(Reachability.REACHABLE), Reachability.UNREACHABLE);
    }

    /** The channel says he can be reached again (for example he unblocked the bot). A blocked contact stays blocked. */
    public void markReachable(ContactId contact) {
        contactRow(contact, false);
        contacts.changeReachability(contact, Set.of(Reachability.UNREACHABLE), Reachability.REACHABLE);
    }

    /**
     * An operator's decision, for example a provocation: nothing more is sent to him (the channels listen to
     * {@link ContactMarkedBlocked} and drop what waits to be sent) and what he writes is not taken in.
     */
    public void markBlocked(ContactId contact) {
        contactRow(contact, false);
        if (contacts.changeReachability(contact, Set.of(Reachability.REACHABLE, Reachability.UNREACHABLE),
                Reachability.BLOCKED)) {
            events.publishEvent(new ContactMarkedBlocked(contact));
        }
    }

    /**
     * His conversation that is not closed, or a new one. The language fills in one not known yet; the entry code
     * (campaign or deep-link payload) is kept only on a new conversation.
     */
    public ConversationId openOrResumeConversation(ContactId contact, String language, String entryCode) {
        return openOrResumeConversation(contact, language, entryCode, null);
    }

    /**
     * As {@link #openOrResumeConversation(ContactId, String, String)}; a new conversation also belongs to the
     * campaign (its id, or null), one already open stays with the campaign it started through.
     */
    public ConversationId openOrResumeConversation(ContactId contact, String language, String entryCode,
            UUID campaign) {
        checkLanguage(language);
        var row = contactRow(contact, true);
        if (row.forgotten()) {
            throw new IllegalStateException("Contact " + contact.value() + " was forgotten");
        }
        var now = clock.instant();
        var active = conversations.findActive(contact);
        if (active.isPresent()) {
            // no statement unless the language is new: this runs for every message he sends
            conversations.resume(active.get(), now, language);
            return active.get().id();
        }
        var id = new ConversationId(TimeOrderedIds.next());
        conversations.insert(id, contact, row.channel(), language != null ? language : row.preferredLanguage(),
                protection.encryptOptional(row.key(), entryCode, entryCodeContext(id)), campaign, now);
        events.publishEvent(new ConversationOpened(id, contact));
        return id;
    }

    /** His most recent conversation, closed or not; opens none. */
    @Transactional(readOnly = true)
    public Optional<ConversationId> latestConversation(ContactId contact) {
        return conversations.findLatest(contact).map(Conversations.Row::id);
    }

    @Transactional(readOnly = true)
    public ConversationView conversation(ConversationId conversation) {
        return view(conversationRow(conversation));
    }

    private ConversationView view(Conversations.Row row) {
        return new ConversationView(row.id(), row.contact(), row.channel(), row.status(), row.language(),
                readable(row.key(), row.forgotten(), row.entryCodeEnc(), entryCodeContext(row.id())).orElse(null),
                row.campaign(), row.openedAt(), row.lastActivityAt());
    }

    /** Whose conversation it is; decrypts nothing (for the channels, which need only that to reply). */
    @Transactional(readOnly = true)
    public ContactId contactOf(ConversationId conversation) {
        return conversationRow(conversation).contact();
    }

    /**
     * Conversations not closed, the most recently active first: what the console queue shows. One still with the
     * flow is left out until he sends something beyond the start.
     */
    @Transactional(readOnly = true)
    public List<ConversationView> active() {
        return conversations.active().stream().map(this::view).toList();
    }

    public void changeStatus(ConversationId conversation, ConversationStatus status) {
        Objects.requireNonNull(status, "status");
        conversationRow(conversation);
        conversations.setStatus(conversation, status);
    }

    /**
     * Stores a message from him, whatever the conversation's status, so that nothing he sends is lost. His
     * writing again makes an unreachable contact reachable.
     */
    public MessageId recordInbound(ConversationId conversation, String body, String channelMessageId) {
        return recordInbound(conversation, new MessageContent.Text(body), channelMessageId);
    }

    /** As {@link #recordInbound(ConversationId, String, String)}, for any kind of message. */
    public MessageId recordInbound(ConversationId conversation, MessageContent content, String channelMessageId) {
        checkChannelMessageId(channelMessageId);
        var row = conversationRow(conversation);
        var id = record(row, Direction.INBOUND, content, DeliveryState.RECEIVED, channelMessageId);
        conversations.touch(conversation, clock.instant());
        // the row as this transaction knows it (locked when the conversation was resumed): most are reachable, and
        // an update that changes nothing would still cost a statement a message
        if (contactRow(row.contact(), false).reachability() == Reachability.UNREACHABLE) {
            contacts.changeReachability(row.contact(), Set.of(Reachability.UNREACHABLE), Reachability.REACHABLE);
        }
        events.publishEvent(new InboundMessageRecorded(conversation, id));
        return id;
    }

    /** Stores a message to him as {@link DeliveryState#PENDING}, for the channel's dispatcher to send. */
    public MessageId recordOutbound(ConversationId conversation, String body) {
        return recordOutbound(conversation, List.of(body)).getFirst();
    }

    /** Stores several messages to him in this order, reading the conversation once (a flow step's outputs). */
    public List<MessageId> recordOutbound(ConversationId conversation, List<String> bodies) {
        var row = conversationRow(conversation);
        var ids = new ArrayList<MessageId>(bodies.size());
        for (var body : bodies) {
            Objects.requireNonNull(body, "body");
            var id = record(row, Direction.OUTBOUND, new MessageContent.Text(body), DeliveryState.PENDING, null);
            events.publishEvent(new OutboundMessageRecorded(conversation, id));
            ids.add(id);
        }
        if (!ids.isEmpty()) {
            // once for all of them: a flow step often answers with several
            conversations.touch(conversation, clock.instant());
        }
        return List.copyOf(ids);
    }

    /** Stores one message; the caller marks the conversation active (once for several). */
    private MessageId record(Conversations.Row conversation, Direction direction, MessageContent content,
            DeliveryState state, String channelMessageId) {
        Objects.requireNonNull(content, "content");
        if (conversation.forgotten()) {
            throw new IllegalStateException("The contact of conversation " + conversation.id().value()
                    + " was forgotten");
        }
        var id = new MessageId(TimeOrderedIds.next());
        var now = clock.instant();
        messages.insert(id, conversation.id(), direction, conversation.channel(), content.kind(),
                protection.encrypt(conversation.key(), MessageContents.write(content), bodyContext(id)), state,
                channelMessageId, now);
        if (content instanceof MessageContent.Photo || content instanceof MessageContent.Voice
                || content instanceof MessageContent.Voicemail) {
            // its file is fetched by the channel, whose row refers to this one: written now, not at the commit
            messages.writeQueued();
        }
        return id;
    }

    /** Keeps a file that came with a message, encrypted under the requester's key: forgetting him erases it too. */
    public void attach(MessageId message, String mediaType, byte[] content) {
        Objects.requireNonNull(content, "content");
        check(MEDIA_TYPE, mediaType, "mediaType");
        var row = messages.find(message).orElseThrow(() -> new IllegalArgumentException("No message " + message.value()));
        var conversation = conversationRow(row.conversation());
        if (conversation.forgotten()) {
            return;
        }
        attachments.insert(message, mediaType, content.length,
                protection.encryptBytes(conversation.key(), content, attachmentContext(message)), clock.instant());
    }

    /** The file of a message, if one was kept and the requester has not been forgotten. */
    @Transactional(readOnly = true)
    public Optional<Attachment> attachment(MessageId message) {
        var row = messages.find(message).orElse(null);
        if (row == null) {
            return Optional.empty();
        }
        var conversation = conversationRow(row.conversation());
        if (conversation.forgotten()) {
            return Optional.empty();
        }
        try {
            return attachments.find(message).map(stored -> new Attachment(message, stored.mediaType(),
                    protection.decryptBytes(conversation.key(), stored.contentEnc(), attachmentContext(message))));
        } catch (DataKeyDestroyed e) {
            // forgotten by another node a moment ago
            return Optional.empty();
        }
    }

    /**
     * The media type of every file kept with the conversation's messages, by message (what the console shows
     * without decrypting them); nothing once the requester was forgotten.
     */
    @Transactional(readOnly = true)
    public Map<MessageId, String> attachmentTypes(ConversationId conversation) {
        return conversationRow(conversation).forgotten() ? Map.of() : attachments.typesInConversation(conversation);
    }

    private static String attachmentContext(MessageId message) {
        return "message_attachment.content:" + message.value();
    }

    /**
     * Records what the channel reported about an outbound message.
     *
     * @param detailCode a short code such as {@code telegram.403}, or {@code null}
     * @return whether the state changed: reports that arrive late or twice are ignored
     */
    public boolean updateDelivery(MessageId message, DeliveryState state, String detailCode) {
        return updateDelivery(message, state, detailCode, null);
    }

    /** The channel accepted the message and gave it this id. */
    public boolean markSent(MessageId message, String channelMessageId) {
        checkChannelMessageId(channelMessageId);
        return updateDelivery(message, DeliveryState.SENT, null, channelMessageId);
    }

    private boolean updateDelivery(MessageId message, DeliveryState state, String detailCode, String channelMessageId) {
        Objects.requireNonNull(state, "state");
        if (detailCode != null) {
            check(DETAIL_CODE, detailCode, "delivery detail code");
        }
        var row = messages.find(message)
                .orElseThrow(() -> new NoSuchElementException("No message " + message.value()));
        if (row.direction() != Direction.OUTBOUND) {
            throw new IllegalArgumentException("Message " + message.value() + " is inbound: it has no delivery");
        }
        var changed = row.delivery().canBecome(state)
                && messages.updateDelivery(message, row.delivery(), state, detailCode, channelMessageId);
        if (changed && state != DeliveryState.PENDING) {
            events.publishEvent(new OutboundDeliveryChanged(row.conversation(), message, row.delivery(), state));
        }
        return changed;
    }

    /**
     * Keeps a channel's note on an outbound message (read, sent as a template, …) without changing its delivery
     * state. Returns false for an unknown or inbound message.
     */
    public boolean noteDelivery(MessageId message, String detailCode) {
        check(DETAIL_CODE, detailCode, "delivery detail code");
        return messages.find(message).filter(row -> row.direction() == Direction.OUTBOUND)
                .map(row -> messages.updateDelivery(message, row.delivery(), row.delivery(), detailCode, null))
                .orElse(false);
    }

    /** The outbound message the channel knows by this id (for delivery reports that name only that id). */
    @Transactional(readOnly = true)
    public Optional<MessageView> findOutbound(String channel, String channelMessageId) {
        check(CHANNEL, channel, "channel");
        checkChannelMessageId(channelMessageId);
        return messages.findOutbound(channel, channelMessageId).map(m -> view(conversationRow(m.conversation()), m));
    }

    /** The conversation's messages in the order they were recorded; bodies of a forgotten contact are erased. */
    @Transactional(readOnly = true)
    public List<MessageView> transcript(ConversationId conversation) {
        var owner = conversationRow(conversation);
        return messages.ofConversation(conversation).stream().map(m -> view(owner, m)).toList();
    }

    private MessageView view(Conversations.Row owner, Messages.Row m) {
        var content = readable(owner.key(), owner.forgotten(), m.bodyEnc(), bodyContext(m.id()))
                .map(stored -> MessageContents.read(m.kind(), stored)).orElse(null);
        return new MessageView(m.id(), m.conversation(), m.direction(), m.channel(), content, m.createdAt(),
                m.delivery(), m.deliveryDetail(), m.channelMessageId());
    }

    /**
     * Erases the contact's personal data for good by destroying his data key (in backups too, once the master key
     * that wrapped it is retired), unlinks him from his channel id, removes his files and closes his conversations.
     * Message metadata (times, directions, delivery) stays for reporting. If he writes again, he is a new contact.
     * Listeners of {@link ContactForgotten} erase what other modules keep about him (his cases' details, flow
     * sessions) in the same transaction; those of {@link ContactForgetting}, before, what they find by his channel id.
     */
    public void forget(ContactId contact) {
        var row = contactRow(contact, true);
        if (row.forgotten()) {
            return;
        }
        events.publishEvent(new ContactForgetting(contact));
        protection.destroy(row.key());
        contacts.markForgotten(contact, clock.instant());
        attachments.deleteOfContact(contact);
        conversations.closeAllOf(contact);
        events.publishEvent(new ContactForgotten(contact));
    }

    /** A requester nothing has been heard from or sent to since {@link #lastActive}, and who is not forgotten. */
    public record QuietContact(ContactId contact, String channel, java.time.Instant lastActive) {
    }

    /** Requesters quiet since before {@code cutoff} (no conversation of theirs active since), longest quiet first. */
    @Transactional(readOnly = true)
    public List<QuietContact> quietSince(java.time.Instant cutoff) {
        return contacts.quietSince(cutoff, null).stream()
                .map(quiet -> new QuietContact(quiet.id(), quiet.channel(), quiet.lastActive())).toList();
    }

    /**
     * Forgets the requester as {@link #forget} does, for retention: only if, once his row is locked (as a message of
     * his locks it), he is still quiet since {@code cutoff} and {@code keptElsewhere} (asked under that lock) says
     * nothing else still needs him. Returns whether he was forgotten.
     */
    public boolean forgetIfQuiet(ContactId contact, java.time.Instant cutoff,
            java.util.function.Predicate<ContactId> keptElsewhere) {
        var row = contactRow(contact, true);
        if (row.forgotten() || contacts.quietSince(cutoff, contact).isEmpty() || keptElsewhere.test(contact)) {
            return false;
        }
        forget(contact);
        return true;
    }

    /** Every conversation he had, oldest first (for erasing what other modules keep about them). */
    @Transactional(readOnly = true)
    public List<ConversationId> conversationsOf(ContactId contact) {
        return conversations.ofContact(contact);
    }

    private Contacts.Row contactRow(ContactId contact, boolean lock) {
        Objects.requireNonNull(contact, "contact");
        return (lock ? contacts.lock(contact) : contacts.find(contact))
                .orElseThrow(() -> new NoSuchElementException("No contact " + contact.value()));
    }

    private Conversations.Row conversationRow(ConversationId conversation) {
        Objects.requireNonNull(conversation, "conversation");
        return conversations.find(conversation)
                .orElseThrow(() -> new NoSuchElementException("No conversation " + conversation.value()));
    }

    /** Decrypts, or nothing when the value is absent or its key was destroyed (here or by another node). */
    private Optional<String> readable(DataKeyId key, boolean forgotten, byte[] ciphertext, String context) {
        if (forgotten || ciphertext == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(protection.decrypt(key, ciphertext, context));
        } catch (DataKeyDestroyed e) {
            return Optional.empty();
        }
    }

    static String externalIdContext(ContactId id) {
        return "contact.external_id:" + id.value();
    }

    private static String entryCodeContext(ConversationId id) {
        return "conversation.entry_code:" + id.value();
    }

    static String bodyContext(MessageId id) {
        return "message.body:" + id.value();
    }

    private static void checkLanguage(String language) {
        if (language != null) {
            check(LANGUAGE, language, "language");
        }
    }

    private static void checkChannelMessageId(String channelMessageId) {
        if (channelMessageId != null && channelMessageId.length() > MAX_CHANNEL_MESSAGE_ID) {
            throw new IllegalArgumentException("A channel message id has at most " + MAX_CHANNEL_MESSAGE_ID
                    + " characters");
        }
    }

    /** Names the field, never the value: it may be personal. */
    private static void check(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("Not a valid " + what + " (expected " + pattern.pattern() + ")");
        }
    }
}
