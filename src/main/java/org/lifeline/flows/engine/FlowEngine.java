package org.lifeline.flows.engine;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.lifeline.flows.engine.Session.Pending;
import org.lifeline.flows.engine.Session.Status;

/**
 * Runs flows: {@link #start} a session, then {@link #handle} one input at a time. Each call returns the new
 * session state (persist it), outputs (send them, in order) and effects (carry them out, in order). The engine
 * keeps no state of its own between calls and reads time only from the clock it is given.
 */
public final class FlowEngine {

    /** The host placeholder for the reference of the case the session opened: fill it with {@link Output#fill}. */
    public static final String CASE_REFERENCE = "case_reference";
    /** The queue for requesters who ask for a person outside a flow's own handover. */
    public static final String GENERAL_QUEUE = "general";

    /** Invalid answers in a row before a person is offered: someone who cannot get through should not be stuck. */
    static final int MAX_RETRIES = 3;
    static final String SKIP = "skip";
    static final String HUMAN = "human";
    static final String AGAIN = "again";
    /**
     * The answer to {@code /verify}. Its host placeholders ({@code official.*}) are the host's to fill from the
     * signed channel list.
     */
    public static final String VERIFY = "verify.channels";
    private static final int TEXT_MAX = 500;
    private static final int MAX_AUTOMATIC_STEPS = 1000;
    private static final Pattern DAY_FIRST = Pattern.compile("(\\d{1,2})\\s*[./-]\\s*(\\d{1,2})\\s*[./-]\\s*(\\d{4})\\.?");
    /** ISO {@code 1999-03-21}, and the Korean forms {@code 1999.3.21}, {@code 1999. 3. 21.} and {@code 1999년 3월 21일}. */
    private static final Pattern YEAR_FIRST = Pattern.compile(
            "(\\d{4})\\s*(?:[./-]|년)\\s*(\\d{1,2})\\s*(?:[./-]|월)\\s*(\\d{1,2})\\s*(?:\\.|일)?");
    private static final Pattern YEAR = Pattern.compile("(\\d{4})\\s*(?:년|\\.)?");

    private final FlowRegistry registry;
    private final Clock clock;

    public FlowEngine(FlowRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Starts the latest version of a flow; the language comes from the entry, or is asked first. */
    public Step start(String flowId, Entry entry) {
        return start(flowId, entry, null);
    }

    /**
     * Starts the latest version of a flow with the requester's first message. Only {@code /verify} is acted on
     * before the start, answered first: someone who checks the bot before trusting it must get that answer even
     * from a bot he never wrote to. Anything else only starts the flow, as a first message always did.
     */
    public Step start(String flowId, Entry entry, Input first) {
        var definition = registry.latest(flowId);
        var language = language(entry, definition.languages());
        var session = new Session(definition.id(), definition.version(), definition.id(), definition.start(), language,
                Status.ACTIVE, language == null ? Pending.LANGUAGE : Pending.NONE, 0, clock.instant(), false, false,
                entry.photos(), entry.campaign(), Map.of(), List.of());
        var turn = new Turn(session);
        if (first != null && turn.command(first) == Command.VERIFY) {
            turn.say(VERIFY);
        }
        if (language == null) {
            turn.askLanguage();
        } else {
            turn.enter(definition.start());
        }
        return turn.step();
    }

    /** Feeds one input to a session, on the flow version the session started on. */
    public Step handle(Session session, Input input) {
        var turn = new Turn(session);
        turn.handle(input);
        return turn.step();
    }

    /**
     * Whether the input is a command ({@code /delete}, {@code /human}, … or a keyword for one): the host passes these
     * on even after the conversation went to an operator, so that they keep working everywhere.
     */
    public boolean isCommand(Session session, Input input) {
        return new Turn(session).command(input) != null;
    }

    /**
     * When a {@link Input.Tick} next has something to do for this session (remind or expire it), if ever: the host
     * stores it beside the session, so that its timers look only at sessions whose time has come. Empty for a session
     * that is over or whose node has no timeouts.
     */
    public Optional<Instant> dueAt(Session session) {
        if (session.status() != Status.ACTIVE) {
            return Optional.empty();
        }
        var definition = registry.find(session.flow(), session.version()).orElseThrow(() -> new IllegalStateException(
                "Flow '" + session.flow() + "' version " + session.version() + " is not loaded"));
        var timeouts = definition.timeouts(definition.node(session.node()));
        Instant due = null;
        if (timeouts.expireAfter() != null) {
            due = session.waitingSince().plus(timeouts.expireAfter());
        }
        if (timeouts.remindAfter() != null && !session.reminded()) {
            var remind = session.waitingSince().plus(timeouts.remindAfter());
            due = due == null || remind.isBefore(due) ? remind : due;
        }
        return Optional.ofNullable(due);
    }

    /**
     * What the host says when it hands a conversation to a person because a step of it failed: the same notice as
     * {@code /human}, from the flow's texts, in the language if the flow has it, else in every language.
     */
    public Output handoverNotice(String flowId, String language) {
        var definition = registry.latest(flowId);
        var languages = language != null && definition.languages().contains(language) ? List.of(language) : definition.languages();
        return new Output.Text("handover.requested", String.join("\n",
                languages.stream().map(code -> definition.text(code, "handover.requested")).toList()));
    }

    /** The campaign's language, else the channel's hint, if the flow has it; null means ask. */
    static String language(Entry entry, Set<String> languages) {
        for (var candidate : new String[] {entry.campaignLanguage(), entry.languageHint()}) {
            if (candidate != null) {
                var code = candidate.toLowerCase(Locale.ROOT).split("[-_]")[0];
                if (languages.contains(code)) {
                    return code;
                }
            }
        }
        return null;
    }

    /** One call's work on a copy of the session. */
    private final class Turn {
        private final Session before;
        private final Instant now = clock.instant();
        private FlowDefinition definition;
        private String node;
        private String language;
        private Status status;
        private Pending pending;
        private int retries;
        private Instant waitingSince;
        private boolean reminded;
        private boolean caseOpened;
        private final Map<String, String> answers;
        private final List<String> history;
        private final List<Output> outputs = new ArrayList<>();
        private final List<Effect> effects = new ArrayList<>();

        Turn(Session session) {
            before = session;
            definition = registry.find(session.flow(), session.version()).orElseThrow(() -> new IllegalStateException(
                    "Flow '" + session.flow() + "' version " + session.version() + " is not loaded: register its "
                            + "snapshot (FlowLibrary.fromSources) before resuming sessions started on it"));
            node = session.node();
            language = session.language();
            status = session.status();
            pending = session.pending();
            retries = session.retries();
            waitingSince = session.waitingSince();
            reminded = session.reminded();
            caseOpened = session.caseOpened();
            answers = new LinkedHashMap<>(session.answers());
            history = new ArrayList<>(session.history());
        }

        Step step() {
            var session = new Session(definition.id(), definition.version(), before.entryFlow(), node, language, status,
                    pending, retries, waitingSince, reminded, caseOpened, before.photos(), before.campaign(), answers,
                    history);
            return new Step(session, outputs, effects);
        }

        void handle(Input input) {
            if (input instanceof Input.Tick) {
                tick();
                return;
            }
            waitingSince = now;
            reminded = false;
            var command = command(input);
            if (command != null) {
                run(command);
                return;
            }
            switch (pending) {
                case LANGUAGE -> answerLanguage(input);
                case RETRY_OFFER -> answerRetryOffer(input);
                case NONE -> {
                    if (status == Status.ACTIVE) {
                        answer(input);
                    }
                }
            }
        }

        private void tick() {
            if (status != Status.ACTIVE) {
                return;
            }
            var timeouts = definition.timeouts(definition.node(node));
            var waited = Duration.between(waitingSince, now);
            if (timeouts.expireAfter() != null && waited.compareTo(timeouts.expireAfter()) >= 0) {
                say("timeout.expired");
                pending = Pending.NONE;
                end("expired");
            } else if (timeouts.remindAfter() != null && !reminded && waited.compareTo(timeouts.remindAfter()) >= 0) {
                say("timeout.reminder");
                reminded = true;
            }
        }

        /** A command given through the channel, as a slash command, or as a keyword of any language. */
        Command command(Input input) {
            if (input instanceof Input.CommandGiven given) {
                return given.command();
            }
            if (!(input instanceof Input.Text text)) {
                return null;
            }
            var typed = text.text().strip().toLowerCase(Locale.ROOT).replaceAll("[.!?]+$", "");
            for (var command : Command.values()) {
                if (typed.equals(command.slash())) {
                    return command;
                }
                for (var language : definition.languages()) {
                    for (var keyword : definition.text(language, command.keywordsKey()).split(",")) {
                        if (typed.equals(keyword.strip().toLowerCase(Locale.ROOT))) {
                            return command;
                        }
                    }
                }
            }
            return null;
        }

        private void run(Command command) {
            switch (command) {
                case LANGUAGE -> {
                    pending = Pending.LANGUAGE;
                    askLanguage();
                }
                case HUMAN -> {
                    pending = Pending.NONE;
                    say("handover.requested");
                    if (status != Status.HANDED_OVER) {
                        handOver(GENERAL_QUEUE, "requested");
                    }
                }
                case RESTART -> {
                    definition = registry.latest(before.entryFlow());
                    answers.clear();
                    history.clear();
                    caseOpened = false;
                    status = Status.ACTIVE;
                    node = definition.start();
                    if (language == null) {
                        pending = Pending.LANGUAGE;
                        askLanguage();
                    } else {
                        pending = Pending.NONE;
                        enter(node);
                    }
                }
                case BACK -> back();
                case VERIFY -> {
                    say(VERIFY);
                    askAgain();
                }
                case DELETE -> {
                    // At once, without a confirmation round-trip: whoever asks may be about to lose the phone.
                    answers.clear();
                    history.clear();
                    pending = Pending.NONE;
                    effects.add(new Effect.DeleteDataRequested());
                    say("delete.done");
                    end("deleted");
                }
            }
        }

        /**
         * Asks the previous question of this flow again and forgets what was answered to it and to the question it
         * leaves; where there is none (the first question, or the flow is over), says so and repeats the question.
         */
        private void back() {
            if (status != Status.ACTIVE || history.isEmpty()) {
                say("back.none");
                if (status == Status.ACTIVE && pending == Pending.NONE) {
                    ask((Node.Ask) definition.node(node));
                }
                return;
            }
            pending = Pending.NONE;
            forget((Node.Ask) definition.node(node));
            node = history.removeLast();
            var previous = (Node.Ask) definition.node(node);
            forget(previous);
            retries = 0;
            ask(previous);
        }

        /** Whatever was waiting for an answer, asked again, so that its buttons are the last thing he sees. */
        private void askAgain() {
            if (status != Status.ACTIVE) {
                return;
            }
            switch (pending) {
                case LANGUAGE -> askLanguage();
                case RETRY_OFFER -> offerPerson();
                case NONE -> ask((Node.Ask) definition.node(node));
            }
        }

        private void forget(Node.Ask question) {
            if (question.store() != null) {
                answers.keySet().removeIf(name -> name.equals(question.store()) || name.startsWith(question.store() + "."));
            }
        }

        void askLanguage() {
            var lines = new ArrayList<String>();
            var options = new ArrayList<Output.Option>();
            for (var code : definition.languages()) {
                lines.add(definition.text(code, "language.ask"));
                options.add(new Output.Option(code, definition.text(code, "language.self")));
            }
            outputs.add(new Output.Question("language.ask", String.join("\n", lines), options));
        }

        private void answerLanguage(Input input) {
            var options = new ArrayList<Output.Option>();
            definition.languages().forEach(code -> options.add(new Output.Option(code, definition.text(code, "language.self"))));
            var chosen = choose(input, options);
            if (chosen == null) {
                askLanguage();
                return;
            }
            language = chosen.id();
            pending = Pending.NONE;
            if (status == Status.ACTIVE) {
                enter(node);
            }
        }

        private void answerRetryOffer(Input input) {
            var chosen = choose(input, retryOptions());
            if (chosen == null) {
                offerPerson();
            } else if (chosen.id().equals(HUMAN)) {
                pending = Pending.NONE;
                say("handover.requested");
                handOver(GENERAL_QUEUE, "retries");
            } else {
                pending = Pending.NONE;
                retries = 0;
                ask((Node.Ask) definition.node(node));
            }
        }

        private List<Output.Option> retryOptions() {
            return List.of(new Output.Option(HUMAN, render("retry.human", Map.of())),
                    new Output.Option(AGAIN, render("retry.again", Map.of())));
        }

        private void offerPerson() {
            outputs.add(new Output.Question("retry.offer", render("retry.offer", Map.of()), retryOptions()));
        }

        private void answer(Input input) {
            switch ((Node.Ask) definition.node(node)) {
                case Node.AskChoice question -> {
                    var chosen = choose(input, options(question));
                    if (chosen == null) {
                        invalid(question, "invalid.choice", Map.of());
                    } else {
                        store(question.store(), chosen.id());
                        answered(question);
                        enter(question.choices().stream().filter(c -> c.id().equals(chosen.id())).findFirst()
                                .orElseThrow().next().name());
                    }
                }
                case Node.AskText question -> answerText(question, input);
                case Node.AskLocation question -> {
                    if (input instanceof Input.Text text && Locations.isExample(text.text())) {
                        invalid(question, "invalid.location.example", Map.of());
                        return;
                    }
                    Map<String, String> fields = switch (input) {
                        case Input.Location location -> Locations.shared(storeName(question), location.latitude(), location.longitude());
                        case Input.Text text -> Locations.typed(storeName(question), text.text());
                        default -> null;
                    };
                    if (fields == null) {
                        invalid(question, "invalid.location", Map.of());
                    } else {
                        if (question.store() != null) {
                            answers.putAll(fields);
                        }
                        answered(question);
                        enter(question.next().name());
                    }
                }
                case Node.AskPhoto question -> {
                    if (input instanceof Input.Photo photo) {
                        store(question.store(), photo.reference());
                        answered(question);
                        enter(question.next().name());
                    } else if (choose(input, List.of(skipOption())) != null) {
                        answered(question);
                        enter(question.next().name());
                    } else {
                        invalid(question, "invalid.photo", Map.of());
                    }
                }
            }
        }

        private void answerText(Node.AskText question, Input input) {
            // Skip by button, label or its number "1", as numbered options show it; but a typed number answers a
            // number question.
            var skip = List.of(skipOption());
            if (question.optional() && (question.type() == Node.TextType.NUMBER
                    ? input instanceof Input.Choice choice && choice.id().equals(SKIP)
                    : choose(input, skip) != null)) {
                answered(question);
                enter(question.next().name());
                return;
            }
            var typed = input instanceof Input.Text text ? text.text().strip() : null;
            var min = question.min() == null ? 1 : question.min();
            var max = question.max() == null ? TEXT_MAX : question.max();
            String value = switch (question.type()) {
                case TEXT -> typed != null && typed.length() >= min && typed.length() <= max ? typed : null;
                case NUMBER -> number(typed, min, max);
                case DATE -> date(typed);
            };
            if (value != null) {
                store(question.store(), value);
                answered(question);
                enter(question.next().name());
                return;
            }
            var args = Map.of("min", Integer.toString(min), "max", Integer.toString(max));
            switch (question.type()) {
                case TEXT -> invalid(question, "invalid.text", args);
                case NUMBER -> invalid(question, "invalid.number", args);
                case DATE -> invalid(question, "invalid.date", Map.of());
            }
        }

        private String number(String typed, int min, int max) {
            if (typed == null || !typed.matches("\\d{1,9}")) {
                return null;
            }
            int value = Integer.parseInt(typed);
            return value >= min && value <= max ? Integer.toString(value) : null;
        }

        /** A past date as day.month.year (also with / or -), year-month-day (Korean forms too), or only a year: stored ISO. */
        private String date(String typed) {
            if (typed == null) {
                return null;
            }
            var today = LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);
            var yearOnly = YEAR.matcher(typed);
            if (yearOnly.matches()) {
                int year = Integer.parseInt(yearOnly.group(1));
                return year >= 1900 && year <= today.getYear() ? yearOnly.group(1) : null;
            }
            var dayFirst = DAY_FIRST.matcher(typed);
            var yearFirst = YEAR_FIRST.matcher(typed);
            try {
                LocalDate date;
                if (dayFirst.matches()) {
                    date = LocalDate.of(Integer.parseInt(dayFirst.group(3)), Integer.parseInt(dayFirst.group(2)),
                            Integer.parseInt(dayFirst.group(1)));
                } else if (yearFirst.matches()) {
                    date = LocalDate.of(Integer.parseInt(yearFirst.group(1)), Integer.parseInt(yearFirst.group(2)),
                            Integer.parseInt(yearFirst.group(3)));
                } else {
                    return null;
                }
                return date.getYear() >= 1900 && !date.isAfter(today) ? date.toString() : null;
            } catch (DateTimeException e) {
                return null;
            }
        }

        private void invalid(Node.Ask question, String key, Map<String, String> args) {
            retries++;
            if (retries >= MAX_RETRIES) {
                pending = Pending.RETRY_OFFER;
                offerPerson();
                return;
            }
            outputs.add(new Output.Text(key, render(key, args)));
            ask(question);
        }

        /** Goes to a node and runs on through the nodes that need no answer, until one asks or the flow ends. */
        void enter(String target) {
            var next = target;
            for (int steps = 0; steps < MAX_AUTOMATIC_STEPS; steps++) {
                node = next;
                switch (definition.node(next)) {
                    case Node.Say say -> {
                        say(say.text().name());
                        next = say.next().name();
                    }
                    case Node.AskPhoto photo when !before.photos() -> next = photo.next().name();
                    case Node.Ask ask -> {
                        retries = 0;
                        ask(ask);
                        return;
                    }
                    case Node.Branch branch -> next = branch.rules().stream()
                            .filter(rule -> rule.when().holds(answers)).findFirst()
                            .map(Node.Rule::next).orElse(branch.otherwise()).name();
                    case Node.SetFields set -> {
                        answers.putAll(set.fields());
                        if (caseOpened) {
                            effects.add(new Effect.UpdateCase(set.fields()));
                        }
                        next = set.next().name();
                    }
                    case Node.OpenCase open -> {
                        effects.add(new Effect.OpenCase(open.kind(), collect(open.fields())));
                        caseOpened = true;
                        next = open.next().name();
                    }
                    case Node.UpdateCase update -> {
                        effects.add(new Effect.UpdateCase(collect(update.fields())));
                        next = update.next().name();
                    }
                    case Node.Handover handover -> {
                        if (handover.text() != null) {
                            say(handover.text().name());
                        }
                        handOver(handover.queue(), "flow");
                        return;
                    }
                    case Node.End end -> {
                        if (end.text() != null) {
                            say(end.text().name());
                        }
                        end("flow");
                        return;
                    }
                    case Node.Jump jump -> {
                        // /back stays within one flow: the other flow's nodes are not this one's
                        history.clear();
                        definition = registry.latest(jump.flow().name());
                        next = definition.start();
                    }
                }
            }
            throw new IllegalStateException("Flow " + definition + " runs in a circle without asking, at '" + next + "'");
        }

        private void ask(Node.Ask question) {
            var key = question.text().name();
            var text = render(key, Map.of());
            outputs.add(switch (question) {
                case Node.AskChoice choice -> new Output.Question(key, text, options(choice));
                case Node.AskText free -> new Output.Question(key, text, free.optional() ? List.of(skipOption()) : List.of());
                case Node.AskLocation location -> new Output.LocationRequest(key, text, render("location.button", Map.of()));
                case Node.AskPhoto photo -> new Output.Question(key, text, List.of(skipOption()));
            });
        }

        private List<Output.Option> options(Node.AskChoice question) {
            return question.choices().stream()
                    .map(choice -> new Output.Option(choice.id(), render(choice.label().name(), Map.of()))).toList();
        }

        private Output.Option skipOption() {
            return new Output.Option(SKIP, render("option.skip", Map.of()));
        }

        /** A button by id, or typed: the option's number, label or id. */
        private Output.Option choose(Input input, List<Output.Option> options) {
            if (input instanceof Input.Choice choice) {
                return options.stream().filter(option -> option.id().equals(choice.id())).findFirst().orElse(null);
            }
            if (!(input instanceof Input.Text text)) {
                return null;
            }
            var typed = text.text().strip().replaceAll("[.)]$", "");
            if (typed.matches("\\d{1,3}")) {
                int index = Integer.parseInt(typed) - 1;
                return index >= 0 && index < options.size() ? options.get(index) : null;
            }
            return options.stream()
                    .filter(option -> option.label().equalsIgnoreCase(typed) || option.id().equalsIgnoreCase(typed))
                    .findFirst().orElse(null);
        }

        private void answered(Node.Ask question) {
            history.add(question.id());
        }

        private void store(String field, String value) {
            if (field != null) {
                answers.put(field, value);
            }
        }

        private String storeName(Node.Ask question) {
            return question.store() == null ? question.id() : question.store();
        }

        /** The named answers, with the parts of compound ones ({@code location.lat} for {@code location}). */
        private Map<String, String> collect(List<Node.Ref> fields) {
            var collected = new LinkedHashMap<String, String>();
            for (var field : fields) {
                answers.forEach((name, value) -> {
                    if (name.equals(field.name()) || name.startsWith(field.name() + ".")) {
                        collected.put(name, value);
                    }
                });
            }
            return collected;
        }

        void say(String key) {
            outputs.add(new Output.Text(key, render(key, Map.of())));
        }

        /** The text in the session's language; before that is known, in every language, one per line. */
        private String render(String key, Map<String, String> args) {
            var values = new LinkedHashMap<>(answers);
            values.putAll(args);
            if (language != null) {
                return Templates.fill(definition.text(language, key), values);
            }
            var lines = new ArrayList<String>();
            definition.languages().forEach(code -> lines.add(Templates.fill(definition.text(code, key), values)));
            return String.join("\n", lines);
        }

        private void handOver(String queue, String reason) {
            status = Status.HANDED_OVER;
            effects.add(new Effect.Handover(queue, reason));
        }

        private void end(String reason) {
            status = Status.ENDED;
            effects.add(new Effect.End(reason));
        }
    }
}
