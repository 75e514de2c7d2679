package org.lifeline.flows.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.lifeline.platform.ClasspathFiles;

/**
 * Loads flows from their files and validates them. Layout (relative to a flows directory):
 * {@code <flow>/<flow>.yaml} (the definition: nodes and message keys, no text), {@code <flow>/<lang>.yaml} (its
 * texts in one language) and {@code common/<lang>.yaml} (texts every flow and the engine share). The languages are
 * those of {@code common/}: adding a language is adding its files, and every flow must then have it.
 */
public final class FlowLibrary {

    /** Where the shipped flows live on the class path. */
    public static final String SHIPPED = "flows";
    static final String COMMON = "common";

    /** Keys the engine itself shows, required in every common translation file. */
    static final Set<String> ENGINE_KEYS = Set.of("language.self", "language.ask",
            "command.language", "command.human", "command.restart", "command.delete", "command.back", "back.none",
            "command.verify", "verify.channels",
            "invalid.location.example", "location.button",
            "invalid.choice", "invalid.number", "invalid.date", "invalid.text", "invalid.location", "invalid.photo",
            "option.skip", "retry.offer", "retry.human", "retry.again",
            "timeout.reminder", "timeout.expired", "handover.requested", "delete.done");

    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}");
    private static final Pattern FLOW_ID = Pattern.compile("[a-z][a-z0-9_]*");

    private FlowLibrary() {
    }

    /** The loaded flows, and everything wrong with them; the registry is empty unless there are no problems. */
    public record Result(FlowRegistry registry, List<Problem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** A file's text and the name to report it by. */
    record Source(String name, String text) {
    }

    /** The shipped flows with the files of {@code directory} laid over them (same path replaces); null: shipped only. */
    public static Result load(Path directory) {
        var files = new TreeMap<>(shipped());
        var problems = new ArrayList<Problem>();
        if (directory != null) {
            files.putAll(directory(directory, problems));
        }
        return load(files, problems, false);
    }

    /** Only the given directories, each laid over the ones before it: for checking flows without the shipped ones. */
    static Result load(List<Path> directories) {
        var files = new TreeMap<String, Source>();
        var problems = new ArrayList<Problem>();
        directories.forEach(directory -> files.putAll(directory(directory, problems)));
        return load(files, problems, false);
    }

    /**
     * Rebuilds one flow version from a snapshot of its {@link FlowDefinition#sources()}, to finish sessions started
     * on it after it was replaced.
     */
    public static FlowDefinition fromSources(Map<String, String> sources) {
        var files = new TreeMap<String, Source>();
        sources.forEach((path, text) -> files.put(path, new Source(path, text)));
        var result = load(files, new ArrayList<>(), true);
        if (!result.valid()) {
            throw new IllegalArgumentException("Invalid flow snapshot: " + result.problems());
        }
        var ids = result.registry().flowIds();
        if (ids.size() != 1) {
            throw new IllegalArgumentException("A snapshot holds exactly one flow, not " + ids);
        }
        return result.registry().latest(ids.iterator().next());
    }

    /**
     * The flows of every class path root that has a {@code flows/common/} (so a language or a flow can come in a jar
     * or directory of its own); the first root with a file wins. Found by that directory: test resources may hold
     * other flows/ directories (fixtures, transcripts).
     */
    static Map<String, Source> shipped() {
        var files = new TreeMap<String, Source>();
        try {
            for (var url : Collections.list(FlowLibrary.class.getClassLoader().getResources(SHIPPED + "/" + COMMON))) {
                ClasspathFiles.read(url, SHIPPED + "/" + COMMON, SHIPPED, ".yaml")
                        .forEach((path, text) -> files.putIfAbsent(path, new Source(SHIPPED + "/" + path, text)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the shipped flows", e);
        }
        return files;
    }

    private static Map<String, Source> directory(Path directory, List<Problem> problems) {
        var files = new TreeMap<String, Source>();
        if (!Files.isDirectory(directory)) {
            problems.add(new Problem(directory.toString(), 0, "not a directory"));
            return files;
        }
        read(directory, directory + "/", files, problems);
        return files;
    }

    private static void read(Path root, String displayPrefix, Map<String, Source> files, List<Problem> problems) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (var path : paths.filter(Files::isRegularFile).filter(p -> isYaml(p.toString())).toList()) {
                var relative = root.relativize(path).toString().replace('\\', '/');
                try {
                    files.put(relative, new Source(displayPrefix + relative, Files.readString(path)));
                } catch (IOException e) {
                    problems.add(new Problem(displayPrefix + relative, 0, "cannot read: " + e.getMessage()));
                }
            }
        } catch (IOException e) {
            problems.add(new Problem(root.toString(), 0, "cannot read: " + e.getMessage()));
        }
    }

    private static boolean isYaml(String name) {
        return name.endsWith(".yaml");
    }

    /** The files of one flow directory. */
    private static final class FlowFiles {
        final String id;
        FlowParser.Draft draft;
        boolean definitionFound;
        final Map<String, Map<String, FlowParser.Template>> texts = new TreeMap<>();
        final Map<String, String> fileNames = new TreeMap<>();
        final Map<String, String> sources = new TreeMap<>();

        FlowFiles(String id) {
            this.id = id;
        }
    }

    private static Result load(Map<String, Source> files, List<Problem> problems, boolean standalone) {
        var common = new TreeMap<String, Map<String, FlowParser.Template>>();
        var commonFiles = new TreeMap<String, String>();
        var commonSources = new TreeMap<String, String>();
        var flows = new TreeMap<String, FlowFiles>();
        files.forEach((path, source) -> {
            var parts = path.split("/");
            var file = new YamlFile(source.name(), problems);
            if (parts.length != 2) {
                file.problem(0, "expected <flow>/<flow>.yaml, <flow>/<language>.yaml or common/<language>.yaml");
                return;
            }
            var directory = parts[0];
            var base = parts[1].substring(0, parts[1].length() - ".yaml".length());
            if (directory.equals(COMMON)) {
                if (language(file, base)) {
                    common.put(base, FlowParser.translations(file, source.text()));
                    commonFiles.put(base, source.name());
                    commonSources.put(path, source.text());
                }
                return;
            }
            if (!FLOW_ID.matcher(directory).matches()) {
                file.problem(0, "a flow directory is named in lower case letters, digits and '_'");
                return;
            }
            var flow = flows.computeIfAbsent(directory, FlowFiles::new);
            flow.sources.put(path, source.text());
            if (base.equals(directory)) {
                flow.definitionFound = true;
                flow.draft = FlowParser.definition(file, source.text());
            } else if (language(file, base)) {
                flow.texts.put(base, FlowParser.translations(file, source.text()));
                flow.fileNames.put(base, source.name());
            }
        });
        if (common.isEmpty()) {
            problems.add(new Problem(COMMON + "/", 0, "no common translations: every language needs common/<language>.yaml"));
        }
        var flowIds = standalone ? null : flows.keySet();
        for (var flow : flows.values()) {
            if (flow.draft == null) {
                if (flow.definitionFound) {
                    continue;
                }
                problems.add(new Problem(flow.id + "/", 0, "no definition file " + flow.id + "/" + flow.id + ".yaml"));
                continue;
            }
            checkGraph(flow, flowIds, problems);
            checkTexts(flow, common, commonFiles, problems);
        }
        checkCommon(flows.values(), common, commonFiles, problems);
        if (problems.isEmpty()) {
            checkCircles(flows, problems);
        }

        var registry = new FlowRegistry();
        if (problems.isEmpty()) {
            for (var flow : flows.values()) {
                var texts = new TreeMap<String, Map<String, String>>();
                common.forEach((language, templates) -> {
                    var merged = new LinkedHashMap<String, String>();
                    templates.forEach((key, template) -> merged.put(key, template.text()));
                    flow.texts.get(language).forEach((key, template) -> merged.put(key, template.text()));
                    texts.put(language, merged);
                });
                var sources = new TreeMap<>(flow.sources);
                sources.putAll(commonSources);
                var draft = flow.draft;
                registry.register(new FlowDefinition(draft.id(), draft.version(), draft.start().name(),
                        draft.defaults(), draft.nodes(), texts, sources));
            }
        }
        Collections.sort(problems);
        return new Result(registry, List.copyOf(problems));
    }

    private static boolean language(YamlFile file, String code) {
        if (LANGUAGE.matcher(code).matches()) {
            return true;
        }
        file.problem(0, "'" + code + "' is not a language code (two or three lower-case letters, like ru or ko)");
        return false;
    }

    /** References, reachability, dead ends and fields read but never stored. */
    private static void checkGraph(FlowFiles flow, Set<String> flowIds, List<Problem> problems) {
        var draft = flow.draft;
        var file = draft.file();
        var nodes = draft.nodes();
        if (draft.id() != null && !draft.id().equals(flow.id)) {
            problems.add(new Problem(file, draft.idLine(), "id '" + draft.id() + "' does not match its directory '" + flow.id + "'"));
        }
        if (draft.start() != null && !nodes.containsKey(draft.start().name())) {
            problems.add(new Problem(file, draft.start().line(), "start goes to unknown node '" + draft.start().name() + "'"));
        }
        var stored = new TreeSet<String>();
        for (var node : nodes.values()) {
            if (node instanceof Node.Ask ask && ask.store() != null) {
                stored.add(ask.store());
            }
            if (node instanceof Node.SetFields set) {
                stored.addAll(set.fields().keySet());
            }
        }
        for (var node : nodes.values()) {
            for (var target : node.targets()) {
                if (target != null && !nodes.containsKey(target.name()) && !draft.unreadable().contains(target.name())) {
                    problems.add(new Problem(file, target.line(),
                            "node '" + node.id() + "' goes to unknown node '" + target.name() + "'"));
                }
            }
            if (node instanceof Node.Jump jump && jump.flow() != null && flowIds != null
                    && !flowIds.contains(jump.flow().name())) {
                problems.add(new Problem(file, jump.flow().line(),
                        "node '" + node.id() + "' goes to unknown flow '" + jump.flow().name() + "'"));
            }
            for (var field : node.reads()) {
                if (field != null && !stored.contains(field.name())) {
                    problems.add(new Problem(file, field.line(),
                            "node '" + node.id() + "' uses field '" + field.name() + "' that no node stores"));
                }
            }
        }
        // Reachability means little until every node reads and every reference resolves: report those first.
        if (problems.stream().anyMatch(problem -> problem.file().equals(file)) || !draft.unreadable().isEmpty()) {
            return;
        }
        var reachable = reach(Set.of(draft.start().name()), id -> successors(nodes.get(id)));
        var finishing = reach(terminals(nodes), id -> predecessors(nodes, id));
        for (var node : nodes.values()) {
            if (!reachable.contains(node.id())) {
                problems.add(new Problem(file, node.line(), "node '" + node.id() + "' is unreachable from start '"
                        + draft.start().name() + "'"));
            } else if (!finishing.contains(node.id())) {
                problems.add(new Problem(file, node.line(), "node '" + node.id()
                        + "' is a dead end: no path from it reaches an end, a handover or another flow"));
            }
        }
    }

    /**
     * No way through nodes that need no answer may come back to where it started, within a flow or through
     * {@code flow} jumps: the engine would run round it until it gives up, and the requester would hear nothing. A
     * photo question counts as needing no answer, since it is skipped where a channel has no photos. Checked once
     * every reference resolves, over all the flows at once.
     */
    private static void checkCircles(Map<String, FlowFiles> flows, List<Problem> problems) {
        var reported = new TreeSet<String>();
        flows.values().forEach(flow -> flow.draft.nodes().values().forEach(node -> {
            var circle = circleFrom(flows, flow.id + "." + node.id());
            if (!circle.isEmpty() && circle.stream().noneMatch(reported::contains)) {
                reported.addAll(circle);
                problems.add(new Problem(flow.draft.file(), node.line(), "node '" + node.id()
                        + "' runs in a circle without asking anything: " + String.join(" → ", circle) + " → " + circle.getFirst()));
            }
        }));
    }

    /** The nodes ({@code flow.node}) of a circle through {@code start} that asks nothing on the way; empty if none. */
    private static List<String> circleFrom(Map<String, FlowFiles> flows, String start) {
        var path = new ArrayList<String>();
        var seen = new TreeSet<String>();
        return walk(flows, start, start, path, seen) ? path : List.of();
    }

    private static boolean walk(Map<String, FlowFiles> flows, String start, String at, List<String> path, Set<String> seen) {
        path.add(at);
        seen.add(at);
        for (var next : automaticSteps(flows, at)) {
            if (next.equals(start) || !seen.contains(next) && walk(flows, start, next, path, seen)) {
                return true;
            }
        }
        path.removeLast();
        return false;
    }

    /** Where a node goes without waiting for an answer. */
    private static List<String> automaticSteps(Map<String, FlowFiles> flows, String at) {
        var dot = at.indexOf('.');
        var flow = flows.get(at.substring(0, dot));
        var node = flow.draft.nodes().get(at.substring(dot + 1));
        return switch (node) {
            case Node.Jump jump -> {
                var target = flows.get(jump.flow().name());
                // a snapshot holds one flow: the jump's target was checked when the set it came from was loaded
                yield target == null ? List.of() : List.of(target.id + "." + target.draft.start().name());
            }
            case Node.AskPhoto photo -> List.of(flow.id + "." + photo.next().name());
            case Node.Ask ask -> List.of();
            default -> node.targets().stream().map(target -> flow.id + "." + target.name()).toList();
        };
    }

    static Set<String> terminals(Map<String, Node> nodes) {
        var terminals = new TreeSet<String>();
        nodes.values().stream()
                .filter(node -> node instanceof Node.End || node instanceof Node.Handover || node instanceof Node.Jump)
                .forEach(node -> terminals.add(node.id()));
        return terminals;
    }

    private static List<String> successors(Node node) {
        return node == null ? List.of() : node.targets().stream().map(Node.Ref::name).toList();
    }

    private static List<String> predecessors(Map<String, Node> nodes, String id) {
        return nodes.values().stream().filter(node -> successors(node).contains(id)).map(Node::id).toList();
    }

    private static Set<String> reach(Set<String> from, java.util.function.Function<String, List<String>> edges) {
        var seen = new TreeSet<>(from);
        var queue = new ArrayList<>(from);
        while (!queue.isEmpty()) {
            for (var next : edges.apply(queue.removeLast())) {
                if (seen.add(next)) {
                    queue.add(next);
                }
            }
        }
        return seen;
    }

    /** Every key the flow shows exists in every language, nothing unused is there, and placeholders agree. */
    private static void checkTexts(FlowFiles flow, Map<String, Map<String, FlowParser.Template>> common,
                                   Map<String, String> commonFiles, List<Problem> problems) {
        for (var language : flow.texts.keySet()) {
            if (!common.containsKey(language)) {
                problems.add(new Problem(flow.fileNames.get(language), 0,
                        "language '" + language + "' has no common/" + language + ".yaml"));
            }
        }
        var used = new LinkedHashMap<String, Node.Ref>();
        flow.draft.nodes().values().forEach(node -> node.keys().forEach(key -> used.putIfAbsent(key.name(), key)));
        for (var language : common.keySet()) {
            var texts = flow.texts.get(language);
            if (texts == null) {
                problems.add(new Problem(flow.id + "/", 0, "no translation file for language '" + language
                        + "': add " + flow.id + "/" + language + ".yaml"));
                continue;
            }
            used.values().forEach(key -> {
                if (!texts.containsKey(key.name()) && !common.get(language).containsKey(key.name())) {
                    problems.add(new Problem(flow.draft.file(), key.line(), "key '" + key.name() + "' has no '"
                            + language + "' text (in " + flow.fileNames.get(language) + " or " + commonFiles.get(language) + ")"));
                }
            });
            texts.forEach((key, template) -> {
                if (!used.containsKey(key)) {
                    problems.add(new Problem(template.file(), template.line(), "key '" + key + "' is not used by flow '" + flow.id + "'"));
                } else if (common.get(language).containsKey(key)) {
                    problems.add(new Problem(template.file(), template.line(), "key '" + key + "' is also in " + commonFiles.get(language)));
                }
            });
        }
        checkPlaceholders(flow.texts, problems);
    }

    private static void checkCommon(Iterable<FlowFiles> flows, Map<String, Map<String, FlowParser.Template>> common,
                                    Map<String, String> commonFiles, List<Problem> problems) {
        var used = new TreeSet<>(ENGINE_KEYS);
        flows.forEach(flow -> {
            if (flow.draft != null) {
                flow.draft.nodes().values().forEach(node -> node.keys().forEach(key -> used.add(key.name())));
            }
        });
        common.forEach((language, texts) -> {
            ENGINE_KEYS.stream().sorted().filter(key -> !texts.containsKey(key)).forEach(key ->
                    problems.add(new Problem(commonFiles.get(language), 0, "missing key '" + key + "' (the engine shows it)")));
            texts.forEach((key, template) -> {
                if (!used.contains(key)) {
                    problems.add(new Problem(template.file(), template.line(), "key '" + key + "' is used by no flow and not by the engine"));
                }
            });
        });
        checkPlaceholders(common, problems);
    }

    /** A text's placeholders must be the same in every language: each is filled by name. */
    private static void checkPlaceholders(Map<String, Map<String, FlowParser.Template>> byLanguage, List<Problem> problems) {
        var reference = new TreeMap<String, FlowParser.Template>();
        byLanguage.forEach((language, texts) -> texts.forEach((key, template) -> {
            var first = reference.putIfAbsent(key, template);
            if (first == null) {
                return;
            }
            var expected = Templates.placeholders(first.text());
            var found = Templates.placeholders(template.text());
            if (!expected.equals(found)) {
                problems.add(new Problem(template.file(), template.line(), "key '" + key + "' has placeholders "
                        + braces(found) + " but " + first.file() + ":" + first.line() + " has " + braces(expected)));
            }
        }));
    }

    private static String braces(Set<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names.stream().map(name -> "{" + name + "}").toList());
    }
}
