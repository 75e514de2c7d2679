package org.lifeline.flows.engine;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every loaded version of every flow. New sessions start on a flow's latest version; a running session keeps the
 * version it started on, which the host can register again from a snapshot after a redeploy.
 */
public final class FlowRegistry {

    private final Map<String, TreeMap<Integer, FlowDefinition>> flows = new ConcurrentHashMap<>();

    /**
     * Adds a version. The same id and version with different content is refused: a changed flow needs a new
     * version number, or running sessions would silently change under the requester.
     */
    public synchronized void register(FlowDefinition definition) {
        var versions = flows.computeIfAbsent(definition.id(), id -> new TreeMap<>());
        var known = versions.get(definition.version());
        if (known != null && !known.hash().equals(definition.hash())) {
            throw new IllegalArgumentException("Flow '" + definition.id() + "' version " + definition.version()
                    + " is already loaded with different content: give the changed flow a new version");
        }
        versions.put(definition.version(), definition);
    }

    public synchronized FlowDefinition latest(String flowId) {
        var versions = flows.get(flowId);
        if (versions == null) {
            throw new IllegalArgumentException("No flow '" + flowId + "'; known: " + flowIds());
        }
        return versions.lastEntry().getValue();
    }

    public synchronized Optional<FlowDefinition> find(String flowId, int version) {
        var versions = flows.get(flowId);
        return Optional.ofNullable(versions == null ? null : versions.get(version));
    }

    public synchronized Set<String> flowIds() {
        return new TreeSet<>(flows.keySet());
    }
}
