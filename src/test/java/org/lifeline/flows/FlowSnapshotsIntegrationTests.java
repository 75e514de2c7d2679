package org.lifeline.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.lifeline.flows.engine.FlowDefinition;
import org.lifeline.flows.engine.FlowLibrary;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Flow versions kept for the sessions started on them, each once, and never lost with a rolled-back step. */
@PersistenceTest
@SpringBootTest
class FlowSnapshotsIntegrationTests {

    @Autowired
    FlowSnapshots snapshots;
    @Autowired
    FlowCatalog catalog;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void keepsAVersionOnceAndAgainWhenTheTransactionThatKeptItRolledBack() {
        var definition = unseenVersionOfMain();
        var transaction = new TransactionTemplate(transactions);

        transaction.executeWithoutResult(status -> {
            snapshots.keep(definition);
            status.setRollbackOnly();
        });
        assertThat(stored(definition)).as("gone with its transaction").isZero();

        transaction.executeWithoutResult(status -> snapshots.keep(definition));
        assertThat(stored(definition)).as("kept by the next step on that version").isOne();
        transaction.executeWithoutResult(status -> snapshots.keep(definition));
        assertThat(stored(definition)).isOne();
    }

    /** The shipped main flow under a version number no test has used. */
    private FlowDefinition unseenVersionOfMain() {
        var version = ThreadLocalRandom.current().nextInt(1_000, 1_000_000_000);
        var sources = new LinkedHashMap<>(catalog.registry().latest("main").sources());
        var definitionFile = sources.keySet().stream()
                .filter(path -> path.endsWith("main.yaml") && sources.get(path).contains("\nversion: ")).findFirst().orElseThrow();
        sources.put(definitionFile, sources.get(definitionFile).replaceFirst("(?m)^version: \\d+", "version: " + version));
        var definition = FlowLibrary.fromSources(sources);
        assertThat(definition.version()).isEqualTo(version);
        return definition;
    }

    private long stored(FlowDefinition definition) {
        return jdbc.sql("select count(*) from flow_snapshot where flow = ? and version = ?")
                .params(definition.id(), definition.version()).query(Long.class).single();
    }
}
