package org.lifeline.flows;

import java.util.LinkedHashMap;
import java.util.Map;

import org.lifeline.flows.engine.FlowDefinition;
import org.lifeline.flows.engine.FlowLibrary;
import org.lifeline.flows.engine.FlowRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
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

    FlowSnapshots(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void keep(FlowDefinition definition) {
        var known = jdbc.sql("select count(*) from flow_snapshot where flow = ? and version = ?")
                .params(definition.id(), definition.version()).query(Long.class).single() > 0;
        if (!known) {
            jdbc.sql("insert into flow_snapshot (flow, version, hash, sources) values (?, ?, ?, ?) on conflict do nothing")
                    .params(definition.id(), definition.version(), definition.hash(), json.writeValueAsString(definition.sources()))
                    .update();
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
