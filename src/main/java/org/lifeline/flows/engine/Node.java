package org.lifeline.flows.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** One node of a flow definition, as parsed from YAML; {@code line} points into the definition file. */
sealed interface Node {

    String id();

    int line();

    /** Nodes this one may go to. */
    default List<Ref> targets() {
        return List.of();
    }

    /** Translation keys this node shows. */
    default List<Ref> keys() {
        return List.of();
    }

    /** Answer fields this node reads. */
    default List<Ref> reads() {
        return List.of();
    }

    /** The references given: a node that failed to parse may lack some, and the problem is reported already. */
    static List<Ref> present(Ref... refs) {
        return Stream.of(refs).filter(java.util.Objects::nonNull).toList();
    }

    /** A name in the definition (a node, a key, a field), with the line it was written on. */
    record Ref(String name, int line) {
    }

    /** When to remind, and when to give up on, a requester who does not answer; null for never. */
    record Timeouts(Duration remindAfter, Duration expireAfter) {
        static final Timeouts NONE = new Timeouts(null, null);

        Timeouts or(Timeouts defaults) {
            return new Timeouts(remindAfter != null ? remindAfter : defaults.remindAfter,
                    expireAfter != null ? expireAfter : defaults.expireAfter);
        }
    }

    /** A node that asks and waits for the answer, stored under {@code store} (null: not stored). */
    sealed interface Ask extends Node {
        Ref text();

        String store();

        Timeouts timeouts();

        @Override
        default List<Ref> keys() {
            return present(text());
        }
    }

    /** A node with exactly one way on. */
    sealed interface Onward extends Node {
        Ref next();

        @Override
        default List<Ref> targets() {
            return present(next());
        }
    }

    record Say(String id, int line, Ref text, Ref next) implements Onward {
        @Override
        public List<Ref> keys() {
            return present(text);
        }
    }

    record Choice(String id, Ref label, Ref next) {
    }

    record AskChoice(String id, int line, Ref text, String store, Timeouts timeouts, List<Choice> choices)
            implements Ask {
        @Override
        public List<Ref> targets() {
            return choices.stream().map(Choice::next).toList();
        }

        @Override
        public List<Ref> keys() {
            return Stream.concat(present(text).stream(), choices.stream().map(Choice::label)).toList();
        }
    }

    enum TextType {
        TEXT, NUMBER, DATE
    }

    /**
     * Free text: for {@code TEXT} min/max bound the length, for {@code NUMBER} the value; a {@code DATE} is a full
     * date or just a year. {@code optional} offers a skip option.
     */
    record AskText(String id, int line, Ref text, String store, Timeouts timeouts, TextType type, Integer min,
                   Integer max, boolean optional, Ref next) implements Ask, Onward {
    }

    record AskLocation(String id, int line, Ref text, String store, Timeouts timeouts, Ref next) implements Ask, Onward {
    }

    /** Asks for a photo, which may be skipped; not asked at all on channels without photos. */
    record AskPhoto(String id, int line, Ref text, String store, Timeouts timeouts, Ref next) implements Ask, Onward {
    }

    /** A condition on one stored answer: {@code equals}, one of {@code oneOf}, or (when both are null) present. */
    record Condition(Ref field, String equalsValue, List<String> oneOf) {
        boolean holds(Map<String, String> answers) {
            var value = answers.get(field.name());
            if (equalsValue != null) {
                return equalsValue.equals(value);
            }
            if (oneOf != null) {
                return oneOf.contains(value);
            }
            return value != null;
        }
    }

    record Rule(Condition when, Ref next) {
    }

    /** Goes to the first rule whose condition holds, else to {@code otherwise}. */
    record Branch(String id, int line, List<Rule> rules, Ref otherwise) implements Node {
        @Override
        public List<Ref> targets() {
            return Stream.concat(rules.stream().map(Rule::next), present(otherwise).stream()).toList();
        }

        @Override
        public List<Ref> reads() {
            return rules.stream().map(rule -> rule.when().field()).toList();
        }
    }

    /** Stores fixed values as answers (and on the case, once it is open). */
    record SetFields(String id, int line, Map<String, String> fields, Ref next) implements Onward {
    }

    record OpenCase(String id, int line, Effect.CaseKind kind, List<Ref> fields, Ref next) implements Onward {
        @Override
        public List<Ref> reads() {
            return fields;
        }
    }

    record UpdateCase(String id, int line, List<Ref> fields, Ref next) implements Onward {
        @Override
        public List<Ref> reads() {
            return fields;
        }
    }

    /** Ends the flow in an operator queue; {@code text} may be null. */
    record Handover(String id, int line, Ref text, String queue) implements Node {
        @Override
        public List<Ref> keys() {
            return present(text);
        }
    }

    /** Ends the flow; {@code text} may be null. */
    record End(String id, int line, Ref text) implements Node {
        @Override
        public List<Ref> keys() {
            return present(text);
        }
    }

    /** Continues in another flow (a menu entry), at that flow's latest version. */
    record Jump(String id, int line, Ref flow) implements Node {
    }
}
