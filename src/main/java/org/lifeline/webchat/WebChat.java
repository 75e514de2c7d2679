package org.lifeline.webchat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.github.bucket4j.Bucket;
import org.lifeline.channels.ChannelInput;
import org.lifeline.channels.ChannelIntake;
import org.lifeline.channels.OutboundContent;
import org.lifeline.platform.Bounded;
import org.lifeline.platform.PerMinuteBuckets;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.DeliveryState;
import org.lifeline.conversations.Direction;
import org.lifeline.conversations.MessageContent;
import org.lifeline.conversations.MessageKind;
import org.lifeline.conversations.MessageView;
import org.lifeline.privacy.DataProtection;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The web chat for its pages: starting a chat behind a light friction, resuming it by codename, posting through
 * the channels' durable intake, and the conversation as the page shows it.
 * <p>
 * The codename is the person's only credential and is never stored, not even encrypted: his id on the channel
 * is its keyed hash, and the browser's cookie holds a random session token whose keyed hash alone is stored.
 */
@Service
public class WebChat {

    /** Lines a page shows at most, keeping it small on slow connections. */
    static final int SHOWN_LINES = 60;
    private static final Pattern SESSION_TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String CODENAME = "webchat.codename";
    private static final String SESSION = "webchat.session";
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    /** Sessions tracked for the per-session limit; the least recently seen are forgotten first. */
    private static final int TRACKED_SESSIONS = 100_000;
    /** Sessions one chat may open a minute by its codename: more than a person opens on his devices. */
    static final int RESUMES_PER_CHAT = 3;
    /** Forms whose post was stored, remembered. */
    private static final int REMEMBERED_FORMS = 100_000;

    private final WebChatSettings settings;
    private final WebChatAdapter adapter;
    private final ChannelIntake intake;
    private final ChatSessions sessions;
    private final ChatDeliveries deliveries;
    private final ConversationManagement conversations;
    private final DataProtection protection;
    private final Codenames codenames = new Codenames();
    private final Challenges challenges;
    private final StartTokens startTokens;
    private final SecureRandom random = new SecureRandom();
    /**
     * Posts paid with the browser's work on their form's token, and posts without: a script posts without work for
     * nothing, so its flood can keep only other posts without work waiting. The work asked rises as the first fill.
     */
    private final Bucket workedPosts;
    private final Bucket plainPosts;
    /**
     * Forms whose post is stored: sent again (a double click, the back button, a replay of its work), it spends
     * nothing and is not refused. So a form's work pays for one post: two sent at once are both charged, and the
     * intake's duplicate gives one back.
     */
    private final java.util.Set<String> storedForms = Bounded.set(REMEMBERED_FORMS);
    /**
     * Resumes met by the browser's work; the work asked rises as these fill. A start spends no budget: it stores
     * nothing (see {@link StartTokens}) until he posts, and then the post's budgets govern it.
     */
    private final Bucket resumes;
    /**
     * Resumes met by the typed sum, which costs a script nothing (it reads the sum off the page): a budget of their
     * own, so that a flood of them can keep only other visitors without JavaScript waiting, never the ones whose
     * browser does the work.
     */
    private final Bucket typedResumes;
    /**
     * Resumes whose codename was found nowhere, by work and by the sum: what a guesser spends. Real resumes do not
     * draw on these, and a flood of made-up codenames does not draw on theirs.
     */
    private final Bucket failedResumes;
    private final Bucket failedTypedResumes;
    /** Resumes of one chat a minute, by the keyed hash of its codename: one chat cannot spend everyone's resumes. */
    private final PerMinuteBuckets chatResumes = new PerMinuteBuckets(TRACKED_SESSIONS);
    private final PerMinuteBuckets sessionPosts = new PerMinuteBuckets(TRACKED_SESSIONS);
    private final PerMinuteBuckets sessionPlainPosts = new PerMinuteBuckets(TRACKED_SESSIONS);

    WebChat(WebChatSettings settings, WebChatAdapter adapter, ChannelIntake intake, ChatSessions sessions,
            ChatDeliveries deliveries, ConversationManagement conversations, DataProtection protection, Clock clock) {
        this.settings = settings;
        this.adapter = adapter;
        this.intake = intake;
        this.sessions = sessions;
        this.deliveries = deliveries;
        this.conversations = conversations;
        this.protection = protection;
        this.challenges = new Challenges(protection, clock, settings.proofOfWorkBits());
        this.startTokens = new StartTokens(protection, clock, settings.sessionIdleTimeout());
        this.workedPosts = PerMinuteBuckets.perMinute(settings.postsPerMinute());
        this.plainPosts = PerMinuteBuckets.perMinute(settings.postsPerMinute());
        this.resumes = PerMinuteBuckets.perMinute(settings.resumesPerMinute());
        this.typedResumes = PerMinuteBuckets.perMinute(settings.resumesPerMinute());
        this.failedResumes = PerMinuteBuckets.perMinute(settings.failedResumesPerMinute());
        this.failedTypedResumes = PerMinuteBuckets.perMinute(settings.failedResumesPerMinute());
    }

    /**
     * What the start page offers: a fresh codename and the challenge bound to it, and the challenge of the form that
     * resumes a chat by codename.
     */
    public record Offer(String challenge, int a, int b, String codename, int bits, Check resume) {
    }

    /** A challenge on its own: the token, the sum to type without JavaScript, the work the script must find. */
    public record Check(String challenge, int a, int b, int bits) {
    }

    /** A session as a page uses it; {@code token} is the cookie's value. */
    public record Session(String token, String senderId, boolean autoRefresh) {

        /** Whether his first post has stored the chat: before it nothing is kept, and his codename opens nothing. */
        public boolean stored() {
            return !StartTokens.looksLikeOne(token);
        }
    }

    public enum Result { OPENED, REFUSED, UNKNOWN, LIMITED }

    /** The outcome of starting or resuming: the new session's token when {@link Result#OPENED}. */
    public record Opened(Result result, String token) {
    }

    public enum Outcome { STORED, DUPLICATE, INVALID, LIMITED }

    /**
     * The outcome of a post; {@code retryAfterSeconds} when {@link Outcome#LIMITED}; {@code session} the token of the
     * session his first post opened (the cookie's new value), else null.
     */
    public record Posted(Outcome outcome, long retryAfterSeconds, String session) {

        Posted(Outcome outcome, long retryAfterSeconds) {
            this(outcome, retryAfterSeconds, null);
        }
    }

    /**
     * The conversation as the page shows it.
     *
     * @param earlier whether older lines were left out
     * @param prompt what the last message asks for, when it is the last word
     * @param waiting whether something he sent is still being processed or answered
     * @param ended whether his conversation was deleted (he asked for it)
     * @param state changes whenever the page would change, for the script's live updates
     */
    public record View(List<Line> lines, boolean earlier, Prompt prompt, boolean waiting, boolean ended,
            boolean autoRefresh, String state) {
    }

    public record Line(boolean mine, String text) {
    }

    /** Choices to press, or a location to type. */
    public record Prompt(List<OutboundContent.Choice> choices, boolean location) {
    }

    /** Challenges ask for more work the fuller their budget is, so that a flood pays more for every try. */
    public Offer offer(String language) {
        var challenge = challenges.issue(Challenges.START, codenames.generate(language), 0);
        var resume = challenges.issue(Challenges.RESUME, "", Math.max(extraBits(resumes, settings.resumesPerMinute()),
                extraBits(failedResumes, settings.failedResumesPerMinute())));
        return new Offer(challenge.token(), challenge.a(), challenge.b(), challenge.codename(), challenge.bits(),
                new Check(resume.token(), resume.a(), resume.b(), resume.bits()));
    }

    /**
     * Starts the chat of the offered codename once the challenge is met, storing nothing: the token returned (the
     * cookie's value) holds the start sealed, the page shows the flow's opening from the flows alone, and his first
     * post stores the start, then the post, and opens the session (see {@link #post}). So a start costs the server
     * nothing it keeps, and needs no budget a script could spend. Submitting the same start again (a double click, the
     * back button) gives a token of the same start: whichever is posted with first, one chat is started.
     */
    public Opened start(String language, String challenge, String codename, String work, String answer) {
        return start(language, challenge, codename, work, answer, null);
    }

    /** As {@link #start(String, String, String, String, String)}, through a campaign's link with its entry code. */
    public Opened start(String language, String challenge, String codename, String work, String answer,
            String entryCode) {
        var met = challenges.verify(challenge, codename, work, answer);
        if (met.isEmpty() || !challenges.use(met.get())) {
            return new Opened(Result.REFUSED, null);
        }
        return new Opened(Result.OPENED, startTokens.issue(met.get().nonce(), language, identity(codename), entryCode));
    }

    /**
     * A new session for a codename whose chat exists, once the resume form's challenge is met: each try costs the
     * same work as a start. The codename is looked up first: only a chat found spends the budget of resumes (and its
     * own: {@link #RESUMES_PER_CHAT} a minute), so that made-up codenames cannot keep a real one from resuming; a
     * codename found nowhere spends the budget of failed lookups, which bounds guessing. Once that is spent, no
     * codename is looked up (by the sum, or by work) until it refills. The challenge is bound to the first codename
     * tried with it, and one found nowhere uses it up: each guess costs a challenge met.
     */
    public Opened resume(String challenge, String work, String answer, String codename) {
        var met = challenges.verify(Challenges.RESUME, challenge, "", work, answer);
        var normalised = Codenames.normalise(codename);
        if (met.isEmpty() || !challenges.use(met.get(), normalised)) {
            return new Opened(Result.REFUSED, null);
        }
        var worked = met.get().worked();
        if (normalised.isEmpty()) {
            challenges.useUp(met.get());
            return new Opened(Result.UNKNOWN, null);
        }
        var failures = worked ? failedResumes : failedTypedResumes;
        if (failures.getAvailableTokens() < 1) {
            return new Opened(Result.LIMITED, null);
        }
        var found = find(normalised);
        if (found == null) {
            challenges.useUp(met.get());
            return new Opened(failures.tryConsume(1) ? Result.UNKNOWN : Result.LIMITED, null);
        }
        if (!chatResumes.of(HexFormat.of().formatHex(found), RESUMES_PER_CHAT).tryConsume(1) || !(worked ? resumes : typedResumes).tryConsume(1)) {
            return new Opened(Result.LIMITED, null);
        }
        return new Opened(Result.OPENED, open(found));
    }

    /**
     * The identity of the chat of a normalised codename, or null: under every index key (a chat begun before the
     * index key was rotated is known by the codename's index under an older key), each one looked up whatever the
     * others gave, so that how long it takes tells no more than the answer.
     */
    private byte[] find(String normalised) {
        byte[] found = null;
        for (var identity : protection.blindIndexes(CODENAME, normalised)) {
            if (conversations.findContact(WebChatAdapter.TYPE, HexFormat.of().formatHex(identity)).isPresent()
                    && found == null) {
                found = identity;
            }
        }
        return found;
    }

    /** The live session of a cookie's token; {@code touch} counts the request as activity. */
    public Optional<Session> session(String token, boolean touch) {
        if (StartTokens.looksLikeOne(token)) {
            return startTokens.open(token).map(start -> new Session(token, start.senderId(), false));
        }
        if (token == null || !SESSION_TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        return sessions.find(tokenRefs(token), settings.sessionIdleTimeout(), touch)
                .map(row -> new Session(token, HexFormat.of().formatHex(row.identityRef()), row.autoRefresh()));
    }

    /**
     * The work a post's form asks of the browser's script now: a SHA-256 of {@code <form token>:n} with this many
     * leading zero bits. More as the node's posts paid with work fill their budget.
     */
    public int postBits() {
        return Math.min(24, settings.proofOfWorkBits() + extraBits(workedPosts, settings.postsPerMinute()));
    }

    /**
     * A token for one message form of this session's page, signed by us, with the work it asks for: posting it
     * twice stores one message, and its work pays for one post within {@link Challenges#FORM_PAID_FOR}.
     */
    public String formToken(Session session, int bits) {
        return challenges.formToken(formKey(session), bits);
    }

    /**
     * What a form is bound to: its session; for a chat started and not yet spoken in, the chat itself, so that the
     * session his first post opens still takes the forms shown before it.
     */
    private static String formKey(Session session) {
        return StartTokens.looksLikeOne(session.token()) ? startFormKey(session) : session.token();
    }

    private static String startFormKey(Session session) {
        return "start|" + session.senderId();
    }

    /**
     * A message typed.
     *
     * @param work what the page's script found for the form's token ({@link #postBits()}); null without JavaScript
     */
    public Posted text(Session session, String language, String formToken, String work, String text) {
        if (text == null || text.isBlank() || text.length() > settings.maxMessageLength()) {
            return new Posted(Outcome.INVALID, 0);
        }
        return post(session, formToken, work,
                new WebChatAdapter.Posted("text", session.senderId(), language, text.strip()));
    }

    /** A choice pressed; {@code work} as for {@link #text}. */
    public Posted choice(Session session, String language, String formToken, String work, String choiceId) {
        if (choiceId == null || choiceId.isBlank() || choiceId.length() > 64) {
            return new Posted(Outcome.INVALID, 0);
        }
        return post(session, formToken, work,
                new WebChatAdapter.Posted("choice", session.senderId(), language, choiceId));
    }

    private Posted post(Session session, String formToken, String work, WebChatAdapter.Posted posted) {
        // only a form this session was shown, or his chat's before it began: a made-up token, or another chat's, is no
        // post of his
        var form = challenges.form(formToken, formKey(session));
        if (form.isEmpty() && !StartTokens.looksLikeOne(session.token())) {
            // shown before his first post opened this session (a double click, the back button)
            form = challenges.form(formToken, startFormKey(session));
        }
        if (form.isEmpty()) {
            return new Posted(Outcome.INVALID, 0);
        }
        var nonce = form.get().nonce();
        if (storedForms.contains(nonce)) {
            return new Posted(Outcome.DUPLICATE, 0);
        }
        // the work the page asked for when it was shown, found soon after
        var paid = challenges.paysNow(form.get()) && Challenges.worked(formToken, work, form.get().bits());
        // without work, a session's smaller allowance comes first: one session cannot spend the node's
        var mine = paid ? null : sessionPlainPosts.of(session.token(), settings.plainPostsPerSessionPerMinute())
                .tryConsumeAndReturnRemaining(1);
        if (mine == null || mine.isConsumed()) {
            mine = sessionPosts.of(session.token(), settings.postsPerSessionPerMinute()).tryConsumeAndReturnRemaining(1);
        }
        if (!mine.isConsumed()) {
            return new Posted(Outcome.LIMITED, seconds(mine.getNanosToWaitForRefill()));
        }
        var budget = paid ? workedPosts : plainPosts;
        var all = budget.tryConsumeAndReturnRemaining(1);
        if (!all.isConsumed()) {
            return new Posted(Outcome.LIMITED, seconds(all.getNanosToWaitForRefill()));
        }
        var opened = begin(session);
        var stored = intake.accept(WebChatAdapter.TYPE, WebChatAdapter.ENDPOINT, "post:" + nonce,
                session.senderId(), adapter.write(posted), senderLimit());
        if (stored != ChannelIntake.Outcome.DROPPED) {
            storedForms.add(nonce);
        }
        if (stored == ChannelIntake.Outcome.DUPLICATE) {
            // a double submit or the back button: it stores nothing, so it spends nothing of the node's posts
            budget.addTokens(1);
        }
        if (stored != ChannelIntake.Outcome.STORED) {
            return new Posted(Outcome.DUPLICATE, 0, opened);
        }
        awaitAnswer(session.senderId());
        return new Posted(Outcome.STORED, 0, opened);
    }

    /**
     * For a chat started and not yet spoken in: stores its start (under the start's nonce, so that a start token
     * posted with again stores none) before his first post, which then follows it in his queue, and opens his
     * session; returns the session's token. Null for a session already open.
     */
    private String begin(Session session) {
        var start = StartTokens.looksLikeOne(session.token()) ? startTokens.open(session.token()) : Optional.<StartTokens.Start>empty();
        if (start.isEmpty()) {
            return null;
        }
        var begun = start.get();
        intake.accept(WebChatAdapter.TYPE, WebChatAdapter.ENDPOINT, "start:" + begun.nonce(), begun.senderId(),
                adapter.write(new WebChatAdapter.Posted("start", begun.senderId(), begun.language(), begun.entryCode())),
                senderLimit());
        return open(HexFormat.of().parseHex(begun.senderId()));
    }

    /** The conversation for the page; what it shows of ours for the first time is marked delivered. */
    @Transactional
    public View view(Session session) {
        if (StartTokens.looksLikeOne(session.token())) {
            return opening(session);
        }
        var lines = new ArrayList<Line>();
        var waiting = !intake.idle(WebChatAdapter.TYPE, WebChatAdapter.ENDPOINT, session.senderId());
        var contact = conversations.findContact(WebChatAdapter.TYPE, session.senderId());
        var conversation = contact.flatMap(conversations::latestConversation);
        if (conversation.isEmpty()) {
            return new View(List.of(), false, null, waiting, !waiting, session.autoRefresh(), state(List.of(), waiting));
        }
        var transcript = conversations.transcript(conversation.get());
        WebChatAdapter.Question asked = null;
        var lastIsOurs = false;
        for (var message : transcript) {
            if (message.erased() || !shown(message)) {
                continue;
            }
            if (message.direction() == Direction.INBOUND) {
                var line = mine(message.content(), asked);
                if (line != null) {
                    lines.add(new Line(true, line));
                }
                lastIsOurs = false;
                continue;
            }
            if (message.delivery() == DeliveryState.SENT) {
                conversations.updateDelivery(message.id(), DeliveryState.DELIVERED, null);
            }
            asked = deliveries.find(message.channelMessageId()).map(adapter::question).orElse(null);
            lines.add(new Line(false, message.body()));
            lastIsOurs = true;
        }
        var prompt = lastIsOurs && asked != null && !asked.kind().equals(WebChatAdapter.Question.TEXT)
                ? new Prompt(asked.choices(), asked.kind().equals(WebChatAdapter.Question.LOCATION)) : null;
        var earlier = lines.size() > SHOWN_LINES;
        var visible = earlier ? lines.subList(lines.size() - SHOWN_LINES, lines.size()) : lines;
        return new View(List.copyOf(visible), earlier, prompt, waiting, false, session.autoRefresh(),
                state(transcript, waiting));
    }

    /**
     * A chat started and not yet spoken in: what the flow opens with, worked out from the flows (nothing is stored
     * yet, nor shown as delivered); the real start at his first post records the same in his transcript before it.
     */
    private View opening(Session session) {
        var start = startTokens.open(session.token()).orElseThrow();
        var said = intake.opening(WebChatAdapter.TYPE, new ChannelInput.Start(start.senderId(), start.language(),
                start.entryCode(), null, true));
        var lines = said.stream().map(content -> new Line(false, content.text())).toList();
        var last = said.isEmpty() ? null : said.getLast();
        var prompt = switch (last) {
            case OutboundContent.Choices choices -> new Prompt(choices.choices(), false);
            case OutboundContent.LocationRequest location -> new Prompt(List.of(), true);
            case null, default -> null;
        };
        var visible = lines.size() > SHOWN_LINES ? lines.subList(lines.size() - SHOWN_LINES, lines.size()) : lines;
        return new View(List.copyOf(visible), lines.size() > SHOWN_LINES, prompt, false, false, false,
                "s" + lines.size());
    }

    /** What the script compares to know whether the page changed; marks nothing. */
    @Transactional(readOnly = true)
    public String state(Session session) {
        if (StartTokens.looksLikeOne(session.token())) {
            return opening(session).state();
        }
        var waiting = !intake.idle(WebChatAdapter.TYPE, WebChatAdapter.ENDPOINT, session.senderId());
        var transcript = conversations.findContact(WebChatAdapter.TYPE, session.senderId())
                .flatMap(conversations::latestConversation)
                .map(conversations::transcript)
                .orElse(List.of());
        return state(transcript, waiting);
    }

    public void autoRefresh(Session session, boolean on) {
        sessions.setAutoRefresh(tokenRefs(session.token()), on);
    }

    /** Ends the session: this browser can no longer read the chat; the codename still resumes it. */
    public void leave(String token) {
        if (token != null && SESSION_TOKEN.matcher(token).matches()) {
            sessions.delete(tokenRefs(token));
        }
    }

    /**
     * "Leave and delete": erases everything about him (his contact, conversations, messages, files, flow sessions
     * and his cases' personal fields, by destroying their keys), drops what he sent that is still waiting and ends
     * his sessions in every browser. The codename opens nothing afterwards.
     */
    @Transactional
    public void erase(String token) {
        session(token, false).ifPresent(session -> {
            intake.discardPending(WebChatAdapter.TYPE, WebChatAdapter.ENDPOINT, session.senderId());
            conversations.findContact(WebChatAdapter.TYPE, session.senderId()).ifPresent(conversations::forget);
            sessions.deleteAllOf(HexFormat.of().parseHex(session.senderId()));
        });
    }

    private String open(byte[] identity) {
        var bytes = new byte[32];
        random.nextBytes(bytes);
        var token = BASE64.encodeToString(bytes);
        sessions.insert(tokenRef(token), identity, settings.sessionIdleTimeout());
        return token;
    }

    /**
     * Waits briefly until what he sent has been processed and answered, so that the next page shows the answer;
     * woken when that commits, not by asking over and over. The page says it is waiting when this takes longer.
     */
    private void awaitAnswer(String senderId) {
        intake.awaitIdle(WebChatAdapter.TYPE, WebChatAdapter.ENDPOINT, senderId, settings.replyWait());
    }

    /** Our messages appear once delivered to the page; his own, except the technical start, at once. */
    private static boolean shown(MessageView message) {
        if (message.direction() == Direction.INBOUND) {
            return message.kind() != MessageKind.START;
        }
        return message.delivery() == DeliveryState.SENT || message.delivery() == DeliveryState.DELIVERED;
    }

    /**
     * His line as the page shows it, from what kind of message it was: a pressed choice is recorded by its id, and
     * the page shows the label he pressed. Null for kinds the page has nothing to show for.
     */
    private static String mine(MessageContent content, WebChatAdapter.Question asked) {
        return switch (content) {
            case MessageContent.Choice choice -> asked == null ? choice.choiceId() : asked.label(choice.choiceId());
            case MessageContent.Location location ->
                    String.format(Locale.ROOT, "%.6f, %.6f", location.latitude(), location.longitude());
            default -> content.text();
        };
    }

    private static String state(List<MessageView> transcript, boolean waiting) {
        var shown = transcript.stream().filter(m -> !m.erased() && shown(m)).count();
        return shown + (waiting ? "w" : "");
    }

    private byte[] identity(String codename) {
        return protection.blindIndex(CODENAME, Codenames.normalise(codename));
    }

    private byte[] tokenRef(String token) {
        return protection.blindIndex(SESSION, token);
    }

    /** Under every index key: sessions begun before the index key was rotated keep working. */
    private List<byte[]> tokenRefs(String token) {
        return protection.blindIndexes(SESSION, token);
    }

    /** The intake's flood limit stays above ours, so that a post we accept is never dropped unprocessed. */
    private int senderLimit() {
        return settings.postsPerSessionPerMinute() * 2;
    }

    /** No extra work while under half the budget is used; then 2, 4, up to 6 more bits (4 to 64 times the work). */
    private static int extraBits(Bucket budget, int perMinute) {
        var used = 1 - (double) budget.getAvailableTokens() / perMinute;
        return used < 0.5 ? 0 : used < 0.75 ? 2 : used < 0.9 ? 4 : 6;
    }

    private static long seconds(long nanos) {
        return Math.max(1, Duration.ofNanos(nanos).toSeconds() + 1);
    }
}
