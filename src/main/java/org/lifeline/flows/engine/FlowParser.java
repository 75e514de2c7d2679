package org.lifeline.flows.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Reads definition and translation files into the node model, reporting every problem with its line. */
final class FlowParser {

    /** A translated text and where it was written. */
    record Template(String text, String file, int line) {
    }

    /** A parsed definition, before the checks that need the other files. */
    record Draft(String file, String id, int idLine, int version, Node.Ref start, Node.Timeouts defaults, Map<String, Node> nodes,
                 Set<String> unreadable) {
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([smhd])");
    /**
     * The longest a node may wait to remind or expire: a question unanswered for three months is abandoned (the answers
     * of a session that opened no case are erased after 30 days by default), and a longer one overflowed the clock's
     * arithmetic and failed every conversation.
     */
    static final Duration LONGEST_WAIT = Duration.ofDays(90);
    /** Telegram carries a pressed button's choice id back in {@code callback_data}, at most 64 bytes. */
    static final int CHOICE_ID_BYTES = 64;

    private FlowParser() {
    }

    static Map<String, Template> translations(YamlFile file, String text) {
        var templates = new LinkedHashMap<String, Template>();
        var root = file.root(text);
        if (root == null) {
            return templates;
        }
        root.entries().forEach((key, node) -> {
            var value = file.asRef(node, "key '" + key + "'");
            if (value == null) {
                return;
            }
            if (value.name().isBlank()) {
                file.problem(value.line(), "key '" + key + "' has an empty text");
            }
            templates.put(key, new Template(value.name(), file.name, root.lineOf(key)));
        });
        return templates;
    }

    static Draft definition(YamlFile file, String text) {
        var root = file.root(text);
        if (root == null) {
            return null;
        }
        var where = "flow";
        var id = root.string("id", true, where);
        var version = root.integer("version", where);
        if (version == null || version < 1) {
            file.problem(root.lineOf("version"), "flow: 'version' must be a whole number from 1 up");
        }
        var start = root.ref("start", true, where);
        var defaults = Node.Timeouts.NONE;
        var timeouts = root.mapping("timeouts", false, where);
        if (timeouts != null) {
            defaults = timeouts(file, timeouts, "flow timeouts");
            timeouts.rejectUnknown("flow timeouts");
        }
        var nodes = new LinkedHashMap<String, Node>();
        var unreadable = new TreeSet<String>();
        var nodeMap = root.mapping("nodes", true, where);
        if (nodeMap != null) {
            nodeMap.entries().forEach((nodeId, value) -> {
                var mapping = file.asMapping(value, "node '" + nodeId + "'");
                if (mapping != null) {
                    var node = node(file, nodeId, nodeMap.lineOf(nodeId), mapping);
                    if (node != null) {
                        nodes.put(nodeId, node);
                        return;
                    }
                }
                unreadable.add(nodeId);
            });
        }
        root.rejectUnknown(where);
        return new Draft(file.name, id, root.lineOf("id"), version == null ? 0 : version, start, defaults, nodes, unreadable);
    }

    private static Node node(YamlFile file, String id, int line, YamlFile.Mapping map) {
        var where = "node '" + id + "'";
        var kind = map.string("kind", true, where);
        if (kind == null) {
            return null;
        }
        Node node = switch (kind) {
            case "say" -> new Node.Say(id, line, map.ref("text", true, where), map.ref("next", true, where));
            case "ask_choice" -> new Node.AskChoice(id, line, map.ref("text", true, where), map.string("store", false, where),
                    timeouts(file, map, where), choices(file, map, where));
            case "ask_text" -> askText(file, id, line, map, where);
            case "ask_location" -> new Node.AskLocation(id, line, map.ref("text", true, where),
                    map.string("store", false, where), timeouts(file, map, where), map.ref("next", true, where));
            case "ask_photo" -> new Node.AskPhoto(id, line, map.ref("text", true, where),
                    map.string("store", false, where), timeouts(file, map, where), map.ref("next", true, where));
            case "branch" -> new Node.Branch(id, line, rules(file, map, where), map.ref("otherwise", true, where));
            case "set" -> new Node.SetFields(id, line, fixedFields(file, map, where), map.ref("next", true, where));
            case "open_case" -> new Node.OpenCase(id, line, caseKind(file, map, where), fieldList(file, map, where),
                    map.ref("next", true, where));
            case "update_case" -> new Node.UpdateCase(id, line, fieldList(file, map, where), map.ref("next", true, where));
            case "handover" -> new Node.Handover(id, line, map.ref("text", false, where), map.string("queue", true, where));
            case "end" -> new Node.End(id, line, map.ref("text", false, where));
            case "flow" -> new Node.Jump(id, line, map.ref("flow", true, where));
            default -> {
                file.problem(map.lineOf("kind"), where + ": unknown kind '" + kind + "' (say, ask_choice, ask_text, "
                        + "ask_location, ask_photo, branch, set, open_case, update_case, handover, end, flow)");
                yield null;
            }
        };
        if (node != null) {
            map.rejectUnknown(where);
        }
        return node;
    }

    private static Node askText(YamlFile file, String id, int line, YamlFile.Mapping map, String where) {
        var typeName = map.string("type", false, where);
        var type = Node.TextType.TEXT;
        if (typeName != null) {
            try {
                type = Node.TextType.valueOf(typeName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                file.problem(map.lineOf("type"), where + ": unknown type '" + typeName + "' (text, number, date)");
            }
        }
        var min = map.integer("min", where);
        var max = map.integer("max", where);
        if (type == Node.TextType.DATE && (min != null || max != null)) {
            file.problem(map.lineOf(min != null ? "min" : "max"), where + ": a date takes no min or max");
        }
        if (type == Node.TextType.NUMBER && (min == null || max == null)) {
            file.problem(line, where + ": a number needs min and max (the re-ask names them)");
        }
        if (min != null && max != null && min > max) {
            file.problem(map.lineOf("min"), where + ": min " + min + " is above max " + max);
        }
        var optional = "true".equals(map.string("optional", false, where));
        return new Node.AskText(id, line, map.ref("text", true, where), map.string("store", false, where),
                timeouts(file, map, where), type, min, max, optional, map.ref("next", true, where));
    }

    private static Node.Timeouts timeouts(YamlFile file, YamlFile.Mapping map, String where) {
        return new Node.Timeouts(duration(file, map, "remind_after", where), duration(file, map, "expire_after", where));
    }

    private static Duration duration(YamlFile file, YamlFile.Mapping map, String key, String where) {
        var value = map.string(key, false, where);
        if (value == null) {
            return null;
        }
        var matcher = DURATION.matcher(value.trim());
        if (!matcher.matches()) {
            file.problem(map.lineOf(key), where + ": '" + key + "' must be like 45s, 30m, 2h or 1d, not '" + value + "'");
            return null;
        }
        var unit = switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        var digits = matcher.group(1).replaceFirst("^0+(?=\\d)", "");
        // compared as digits first: a number past a long's range is too long as well, not an error of its own
        if (digits.length() > 12 || Long.parseLong(digits) > LONGEST_WAIT.dividedBy(unit)) {
            file.problem(map.lineOf(key), where + ": '" + key + "' is at most " + LONGEST_WAIT.toDays() + "d, not '" + value + "'");
            return null;
        }
        return unit.multipliedBy(Long.parseLong(digits));
    }

    private static List<Node.Choice> choices(YamlFile file, YamlFile.Mapping map, String where) {
        var choices = new ArrayList<Node.Choice>();
        for (var item : map.sequence("choices", true, where)) {
            var choice = file.asMapping(item, where + ": a choice");
            if (choice == null) {
                continue;
            }
            var id = choice.ref("id", true, where + ": a choice");
            var label = choice.ref("label", true, where + ": a choice");
            var next = choice.ref("next", true, where + ": a choice");
            choice.rejectUnknown(where + ": a choice");
            if (id == null || label == null || next == null) {
                continue;
            }
            if (id.name().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > CHOICE_ID_BYTES) {
                file.problem(id.line(), where + ": choice id '" + id.name() + "' is longer than " + CHOICE_ID_BYTES
                        + " bytes (Telegram's limit for a button's data)");
            }
            if (choices.stream().anyMatch(known -> known.id().equals(id.name()))) {
                file.problem(id.line(), where + ": duplicate choice id '" + id.name() + "'");
            }
            choices.add(new Node.Choice(id.name(), label, next));
        }
        return choices;
    }

    private static List<Node.Rule> rules(YamlFile file, YamlFile.Mapping map, String where) {
        var rules = new ArrayList<Node.Rule>();
        for (var item : map.sequence("rules", true, where)) {
            var rule = file.asMapping(item, where + ": a rule");
            if (rule == null) {
                continue;
            }
            var when = rule.mapping("when", true, where + ": a rule");
            var next = rule.ref("next", true, where + ": a rule");
            rule.rejectUnknown(where + ": a rule");
            if (when == null || next == null) {
                continue;
            }
            var field = when.ref("field", true, where + ": a condition");
            var equalsValue = when.string("equals", false, where + ": a condition");
            List<String> oneOf = null;
            if (when.has("one_of")) {
                oneOf = when.sequence("one_of", true, where + ": a condition").stream()
                        .map(value -> file.asRef(value, where + ": one_of"))
                        .filter(java.util.Objects::nonNull).map(Node.Ref::name).toList();
            }
            when.rejectUnknown(where + ": a condition");
            if (field != null) {
                rules.add(new Node.Rule(new Node.Condition(field, equalsValue, oneOf), next));
            }
        }
        return rules;
    }

    private static Map<String, String> fixedFields(YamlFile file, YamlFile.Mapping map, String where) {
        var fields = new LinkedHashMap<String, String>();
        var mapping = map.mapping("fields", true, where);
        if (mapping != null) {
            mapping.entries().forEach((name, value) -> {
                var ref = file.asRef(value, where + ": field '" + name + "'");
                if (ref != null) {
                    fields.put(name, ref.name());
                }
            });
        }
        return fields;
    }

    private static List<Node.Ref> fieldList(YamlFile file, YamlFile.Mapping map, String where) {
        return map.sequence("fields", true, where).stream()
                .map(value -> file.asRef(value, where + ": a field"))
                .filter(java.util.Objects::nonNull).toList();
    }

    private static Effect.CaseKind caseKind(YamlFile file, YamlFile.Mapping map, String where) {
        var name = map.string("case", true, where);
        if (name == null) {
            return null;
        }
        try {
            return Effect.CaseKind.valueOf(name);
        } catch (IllegalArgumentException e) {
            file.problem(map.lineOf("case"), where + ": unknown case kind '" + name + "' (SURRENDER_REQUEST, FAMILY_INQUIRY)");
            return null;
        }
    }
}
