package org.lifeline.flows.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.lifeline.platform.Languages;

/**
 * One version of one flow, validated, with the texts it shows in every language. {@link #sources()} and
 * {@link #hash()} let the host keep a snapshot of exactly this version, so sessions started on it can finish on it
 * after a newer version is deployed ({@link FlowLibrary#fromSources}).
 */
public final class FlowDefinition {

    private final String id;
    private final int version;
    private final String start;
    private final Node.Timeouts defaults;
    private final Map<String, Node> nodes;
    private final Map<String, Map<String, String>> texts;
    private final Map<String, String> sources;
    private final String hash;

    FlowDefinition(String id, int version, String start, Node.Timeouts defaults, Map<String, Node> nodes,
                   Map<String, Map<String, String>> texts, Map<String, String> sources) {
        this.id = id;
        this.version = version;
        this.start = start;
        this.defaults = defaults;
        this.nodes = Map.copyOf(nodes);
        this.texts = Map.copyOf(texts);
        this.sources = Map.copyOf(new TreeMap<>(sources));
        this.hash = sha256(new TreeMap<>(sources));
    }

    public String id() {
        return id;
    }

    public int version() {
        return version;
    }

    /**
     * The languages, in the order the language menu shows them: in the order of {@link Languages} (those most
     * requesters read first), then any others (a flow directory's own) alphabetically.
     */
    public Set<String> languages() {
        var ordered = new java.util.LinkedHashSet<String>();
        Languages.codes().stream().filter(texts::containsKey).forEach(ordered::add);
        ordered.addAll(new java.util.TreeSet<>(texts.keySet()));
        return ordered;
    }

    /** The files this version was built from (definition, its translations, the common translations), by path. */
    public Map<String, String> sources() {
        return sources;
    }

    /** SHA-256 over the sources: equal hashes, equal behaviour. */
    public String hash() {
        return hash;
    }

    String start() {
        return start;
    }

    Node node(String nodeId) {
        var node = nodes.get(nodeId);
        if (node == null) {
            throw new IllegalStateException("Flow " + id + " v" + version + " has no node '" + nodeId + "'");
        }
        return node;
    }

    Map<String, Node> nodes() {
        return nodes;
    }

    Node.Timeouts timeouts(Node node) {
        return node instanceof Node.Ask ask ? ask.timeouts().or(defaults) : defaults;
    }

    Map<String, Map<String, String>> texts() {
        return texts;
    }

    /** The text for a key, or null when the language lacks it (validation rules that out for loaded flows). */
    String text(String language, String key) {
        var byKey = texts.get(language);
        return byKey == null ? null : byKey.get(key);
    }

    private static String sha256(Map<String, String> sources) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            sources.forEach((path, text) -> {
                digest.update(path.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(text.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return id + " v" + version;
    }
}
