package org.lifeline.flows.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random walks through every shipped flow in every language: random answers (valid and not), commands, shared
 * locations, photos and the passing of time, then sensible answers. Every walk must end or be handed over within a
 * bound, without an exception, and every text shown must come from the translation files of the language the
 * session is in at that moment (or, before one is chosen, of all languages at once).
 */
class FlowWalkTests {

    private static final FlowRegistry registry = FlowLibrary.load((Path) null).registry();
    private static final int FINISHING_STEPS = 200;
    private static final List<String> TYPED = List.of("", "  ", "hello", "0", "1", "2", "3", "7", "99", "100000",
            "-5", "21.03.1999", "1999", "31.02.2000", "01.01.2999", "48.0159, 37.8029", "48,0159 37,8029",
            "37U DQ 12345 67890", "37U DQ", "Авдіївка", "아무것도", "/unknown", "x".repeat(600), "{case_reference}");

    sealed interface Move {
    }

    /** Picks option {@code index} (modulo the options shown) of the last question, as button, number or label. */
    record PickOption(int index, int form) implements Move {
    }

    record Typed(String text) implements Move {
    }

    record Shared(double latitude, double longitude) implements Move {
    }

    record SentPhoto() implements Move {
    }

    record Gave(Command command) implements Move {
    }

    /** A command typed as a keyword of some language, to check keywords of every language work. */
    record Keyword(Command command, int language) implements Move {
    }

    record Waited(Duration duration) implements Move {
    }

    @Property(tries = 600)
    void everyWalkEndsOrIsHandedOverAndSpeaksOnlyItsLanguage(@ForAll("flows") String flow,
                                                              @ForAll("entries") Entry entry,
                                                              @ForAll("moves") List<Move> moves) {
        var clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
        var engine = new FlowEngine(registry, clock);
        var effects = new ArrayList<Effect>();
        var step = engine.start(flow, entry);
        check(step);
        for (var move : moves) {
            step = engine.handle(roundTrip(step.session()), input(move, step, clock));
            check(step);
            effects.addAll(step.effects());
        }
        for (int i = 0; i < FINISHING_STEPS && !step.session().finished(); i++) {
            step = engine.handle(roundTrip(step.session()), sensible(step));
            check(step);
            effects.addAll(step.effects());
        }
        assertThat(step.session().finished()).as("finished within %d sensible answers", FINISHING_STEPS).isTrue();
        assertThat(effects).as("the host was told").hasAtLeastOneElementOfType(
                step.session().status() == Session.Status.ENDED ? Effect.End.class : Effect.Handover.class);
    }

    /** The state survives its own encoding at every step: what the host stores is what it gets back. */
    private static Session roundTrip(Session session) {
        var decoded = Session.decode(session.encode());
        assertThat(decoded).isEqualTo(session);
        return decoded;
    }

    private static Input input(Move move, Step last, ManualClock clock) {
        return switch (move) {
            case PickOption pick -> pick(last, pick.index(), pick.form());
            case Typed typed -> new Input.Text(typed.text());
            case Shared shared -> new Input.Location(shared.latitude(), shared.longitude());
            case SentPhoto ignored -> new Input.Photo("photo-ref");
            case Gave gave -> new Input.CommandGiven(gave.command());
            case Keyword keyword -> {
                var languages = new ArrayList<>(registry.latest("main").languages());
                var language = languages.get(keyword.language() % languages.size());
                var words = registry.latest("main").text(language, keyword.command().keywordsKey()).split(",");
                yield new Input.Text(words[keyword.language() % words.length].strip());
            }
            case Waited waited -> {
                clock.advance(waited.duration());
                yield new Input.Tick();
            }
        };
    }

    private static Input pick(Step last, int index, int form) {
        var question = last.outputs().reversed().stream().filter(Output.Question.class::isInstance)
                .map(Output.Question.class::cast).findFirst().orElse(null);
        if (question == null || question.options().isEmpty()) {
            return new Input.Text(Integer.toString(index % 5 + 1));
        }
        int chosen = index % question.options().size();
        var option = question.options().get(chosen);
        return switch (form % 3) {
            case 0 -> new Input.Choice(option.id());
            case 1 -> new Input.Text(Integer.toString(chosen + 1));
            default -> new Input.Text(option.label());
        };
    }

    /** A valid answer that moves toward the nearest end, handover or other flow. */
    private static Input sensible(Step last) {
        var session = last.session();
        if (session.pending() == Session.Pending.LANGUAGE) {
            return new Input.Choice("en");
        }
        if (session.pending() == Session.Pending.RETRY_OFFER) {
            return new Input.Choice(FlowEngine.AGAIN);
        }
        var definition = registry.find(session.flow(), session.version()).orElseThrow();
        return switch ((Node.Ask) definition.node(session.node())) {
            case Node.AskChoice choice -> new Input.Choice(choice.choices().stream()
                    .min(java.util.Comparator.comparingInt(c -> distance(definition, c.next().name())))
                    .orElseThrow().id());
            case Node.AskText text -> new Input.Text(switch (text.type()) {
                case NUMBER -> Integer.toString(text.min());
                case DATE -> "21.03.1999";
                case TEXT -> "Ivan Petrov";
            });
            case Node.AskLocation ignored -> new Input.Text("48.0159, 37.8029");
            case Node.AskPhoto ignored -> new Input.Photo("photo-ref");
        };
    }

    /** Steps from a node to the nearest node that ends the flow. */
    private static int distance(FlowDefinition definition, String from) {
        var distances = new HashMap<String, Integer>();
        var queue = new ArrayList<String>();
        FlowLibrary.terminals(definition.nodes()).forEach(id -> {
            distances.put(id, 0);
            queue.add(id);
        });
        while (!queue.isEmpty()) {
            var id = queue.removeFirst();
            for (var node : definition.nodes().values()) {
                if (node.targets().stream().anyMatch(target -> target.name().equals(id)) && !distances.containsKey(node.id())) {
                    distances.put(node.id(), distances.get(id) + 1);
                    queue.add(node.id());
                }
            }
        }
        return distances.getOrDefault(from, Integer.MAX_VALUE);
    }

    private static void check(Step step) {
        var language = step.session().language();
        for (var output : step.outputs()) {
            var allowed = output.key().equals("language.ask") || language == null ? everyLanguage(output.key()) : texts(language);
            assertThat(matches(allowed, output.text()))
                    .as("'%s' (key %s) is a text of %s", output.text(), output.key(), language == null ? "all languages" : language)
                    .isTrue();
            if (output instanceof Output.Question question) {
                var labels = output.key().equals("language.ask") ? everyLanguage("language.self") : allowed;
                for (var option : question.options()) {
                    var label = output.key().equals("language.ask")
                            ? registry.latest("main").text(option.id(), "language.self") : option.label();
                    assertThat(option.label()).isEqualTo(label);
                    assertThat(matches(output.key().equals("language.ask") ? texts(option.id()) : labels, option.label()))
                            .as("option '%s' is a text of %s", option.label(), language).isTrue();
                }
            }
        }
    }

    private static final Map<String, List<Pattern>> TEXTS = new HashMap<>();

    /** Every text of one language across all flows, placeholders matching anything. */
    private static synchronized List<Pattern> texts(String language) {
        return TEXTS.computeIfAbsent(language, code -> registry.flowIds().stream()
                .flatMap(id -> registry.latest(id).texts().get(code).values().stream())
                .distinct().map(FlowWalkTests::pattern).toList());
    }

    /** A text shown before the language is known: the key's text in every language, one per line. */
    private static List<Pattern> everyLanguage(String key) {
        var main = registry.latest("main");
        var lines = main.languages().stream().map(code -> patternSource(main.text(code, key))).toList();
        return List.of(Pattern.compile(String.join("\n", lines), Pattern.DOTALL));
    }

    private static boolean matches(List<Pattern> patterns, String text) {
        return patterns.stream().anyMatch(pattern -> pattern.matcher(text).matches());
    }

    private static Pattern pattern(String template) {
        return Pattern.compile(patternSource(template), Pattern.DOTALL);
    }

    private static String patternSource(String template) {
        var source = new StringBuilder();
        int last = 0;
        var matcher = Templates.PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            source.append(Pattern.quote(template.substring(last, matcher.start()))).append(".*?");
            last = matcher.end();
        }
        return source.append(Pattern.quote(template.substring(last))).toString();
    }

    @Provide
    Arbitrary<String> flows() {
        return Arbitraries.of(registry.flowIds());
    }

    @Provide
    Arbitrary<Entry> entries() {
        var languages = new ArrayList<String>(registry.latest("main").languages());
        languages.add(null);
        var hints = new ArrayList<>(List.of("ru-RU", "uk", "en-GB", "ko-KP", "de", "zz"));
        hints.add(null);
        return Combinators.combine(Arbitraries.of(languages), Arbitraries.of(hints), Arbitraries.of(true, false))
                .as((campaign, hint, photos) -> new Entry("campaign-1", campaign, hint, photos));
    }

    @Provide
    Arbitrary<List<Move>> moves() {
        Arbitrary<Move> pick = Combinators.combine(Arbitraries.integers().between(0, 20), Arbitraries.integers().between(0, 2))
                .as(PickOption::new);
        Arbitrary<Move> typed = Arbitraries.oneOf(Arbitraries.of(TYPED),
                Arbitraries.strings().ofMaxLength(30)).map(Typed::new);
        Arbitrary<Move> shared = Combinators.combine(Arbitraries.doubles().between(-90, 90), Arbitraries.doubles().between(-180, 180))
                .as(Shared::new);
        Arbitrary<Move> photo = Arbitraries.just(new SentPhoto());
        Arbitrary<Move> command = Arbitraries.of(Command.class).map(Gave::new);
        Arbitrary<Move> keyword = Combinators.combine(Arbitraries.of(Command.class), Arbitraries.integers().between(0, 11))
                .as(Keyword::new);
        Arbitrary<Move> waited = Arbitraries.of(Duration.ofMinutes(5), Duration.ofHours(2), Duration.ofHours(30), Duration.ofDays(3))
                .map(Waited::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, pick), net.jqwik.api.Tuple.of(5, typed), net.jqwik.api.Tuple.of(1, shared),
                net.jqwik.api.Tuple.of(1, photo), net.jqwik.api.Tuple.of(1, command), net.jqwik.api.Tuple.of(1, keyword),
                net.jqwik.api.Tuple.of(1, waited)).list().ofMaxSize(40);
    }
}
