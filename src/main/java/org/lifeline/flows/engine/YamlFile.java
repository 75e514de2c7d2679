package org.lifeline.flows.engine;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML file read through SnakeYAML's node (compose) API rather than into plain maps, so that every problem
 * can name the file and line, and unknown fields are reported instead of ignored.
 */
final class YamlFile {

    final String name;
    private final List<Problem> problems;

    YamlFile(String name, List<Problem> problems) {
        this.name = name;
        this.problems = problems;
    }

    /** The top-level mapping, or null (with a problem recorded) if the file is not one. */
    Mapping root(String text) {
        try {
            var node = new Yaml(new LoaderOptions()).compose(new StringReader(text));
            if (node instanceof MappingNode mapping) {
                return new Mapping(mapping);
            }
            problem(node == null ? 1 : line(node), "expected a mapping of keys to values");
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problem(mark == null ? 0 : mark.getLine() + 1, "YAML syntax: " + e.getProblem());
        } catch (YAMLException e) {
            problem(0, "YAML syntax: " + e.getMessage());
        }
        return null;
    }

    void problem(int line, String message) {
        problems.add(new Problem(name, line, message));
    }

    static int line(org.yaml.snakeyaml.nodes.Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /** A YAML mapping whose keys are checked off as they are read, so that leftovers are reported as unknown. */
    final class Mapping {
        final int line;
        private final Map<String, org.yaml.snakeyaml.nodes.Node> values = new LinkedHashMap<>();
        private final Map<String, Integer> keyLines = new LinkedHashMap<>();
        private final List<String> read = new ArrayList<>();

        Mapping(MappingNode node) {
            this.line = line(node);
            for (var tuple : node.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    problem(line(tuple.getKeyNode()), "a key must be plain text");
                    continue;
                }
                if (values.containsKey(key.getValue())) {
                    problem(line(key), "duplicate key '" + key.getValue() + "'");
                    continue;
                }
                values.put(key.getValue(), tuple.getValueNode());
                keyLines.put(key.getValue(), line(key));
            }
        }

        Map<String, org.yaml.snakeyaml.nodes.Node> entries() {
            read.addAll(values.keySet());
            return values;
        }

        int lineOf(String key) {
            return keyLines.getOrDefault(key, line);
        }

        boolean has(String key) {
            return values.containsKey(key);
        }

        /** A scalar's text; null if absent (a problem if {@code required}) or not a scalar (a problem). */
        String string(String key, boolean required, String where) {
            var node = value(key, required, where);
            if (node == null) {
                return null;
            }
            if (node instanceof ScalarNode scalar && scalar.getTag() != Tag.NULL) {
                return scalar.getValue();
            }
            problem(line(node), where + ": '" + key + "' must be a single value");
            return null;
        }

        Node.Ref ref(String key, boolean required, String where) {
            var value = string(key, required, where);
            return value == null ? null : new Node.Ref(value, line(values.get(key)));
        }

        Integer integer(String key, String where) {
            var value = string(key, false, where);
            if (value == null) {
                return null;
            }
            try {
                return Integer.valueOf(value.trim());
            } catch (NumberFormatException e) {
                problem(lineOf(key), where + ": '" + key + "' must be a whole number, not '" + value + "'");
                return null;
            }
        }

        Mapping mapping(String key, boolean required, String where) {
            var node = value(key, required, where);
            if (node == null) {
                return null;
            }
            if (node instanceof MappingNode mapping) {
                return new Mapping(mapping);
            }
            problem(line(node), where + ": '" + key + "' must be a mapping");
            return null;
        }

        List<org.yaml.snakeyaml.nodes.Node> sequence(String key, boolean required, String where) {
            var node = value(key, required, where);
            if (node == null) {
                return List.of();
            }
            if (node instanceof SequenceNode sequence && !sequence.getValue().isEmpty()) {
                return sequence.getValue();
            }
            problem(line(node), where + ": '" + key + "' must be a non-empty list");
            return List.of();
        }

        /** Reports every key that no reader asked for. */
        void rejectUnknown(String where) {
            values.keySet().stream().filter(key -> !read.contains(key)).forEach(key ->
                    problem(keyLines.get(key), where + ": unknown field '" + key + "'"));
        }

        private org.yaml.snakeyaml.nodes.Node value(String key, boolean required, String where) {
            read.add(key);
            var node = values.get(key);
            if (node == null && required) {
                problem(line, where + ": missing '" + key + "'");
            }
            return node;
        }
    }

    Mapping asMapping(org.yaml.snakeyaml.nodes.Node node, String where) {
        if (node instanceof MappingNode mapping) {
            return new Mapping(mapping);
        }
        problem(line(node), where + " must be a mapping");
        return null;
    }

    /** A list item that must be a plain value. */
    Node.Ref asRef(org.yaml.snakeyaml.nodes.Node node, String where) {
        if (node instanceof ScalarNode scalar && scalar.getTag() != Tag.NULL) {
            return new Node.Ref(scalar.getValue(), line(node));
        }
        problem(line(node), where + " must be a single value");
        return null;
    }
}
