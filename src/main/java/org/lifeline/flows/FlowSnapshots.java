package org.lifeline.flows;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.lifeline.flows.engine.FlowDefinition;
import org.lifeline.flows.engine.FlowLibrary;
import org.lifeline.flows.engine.FlowRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the source of every flow version a session started on, so that after an upgrade a running conversation
 * still finishes on the version it began with.
 */
@Repository
class FlowSnapshots {

    private static final TypeReference<LinkedHashMap<String, String>> SOURCES = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    /**
     * Versions known to be stored (committed): a step of a conversation keeps its version, so without this every
     * processed update would ask the database again. Snapshots are never deleted.
     */
    private final Set<String> kept = ConcurrentHashMap.newKeySet();

    FlowSnapshots(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void keep(FlowDefinition definition) {
        var name = definition.id() + "@" + definition.version();
        if (kept.contains(name)) {
            return;
        }
        var known = jdbc.sql("select count(*) from flow_snapshot where flow = ? and version = ?")
                .params(definition.id(), definition.version()).query(Long.class).single() > 0;
        if (!known) {
            jdbc.sql("insert into flow_snapshot (flow, version, hash, sources) values (?, ?, ?, ?) on conflict do nothing")
                    .params(definition.id(), definition.version(), definition.hash(), json.writeValueAsString(definition.sources()))
                    .update();
        }
        // remembered once it is certain to stay: an insert (or a row this transaction saw) is rolled back with it
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    kept.add(name);
                }
            });
        } else {
            kept.add(name);
        }
    }

    /** Makes sure the registry knows the version, restoring it from its snapshot if the files have moved on. */
    void restoreInto(FlowRegistry registry, String flow, int version) {
        if (registry.find(flow, version).isPresent()) {
            return;
        }
        jdbc.sql("select sources from flow_snapshot where flow = ? and version = ?").params(flow, version)
                .query(String.class).optional()
                .ifPresent(sources -> registry.register(FlowLibrary.fromSources(parse(sources))));
    }

    private Map<String, String> parse(String sources) {
        return json.readValue(sources, SOURCES);
    }
}
