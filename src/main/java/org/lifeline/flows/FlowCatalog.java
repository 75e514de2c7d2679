package org.lifeline.flows;

import java.time.Clock;

import org.lifeline.flows.engine.FlowEngine;
import org.lifeline.flows.engine.FlowLibrary;
import org.lifeline.flows.engine.FlowRegistry;
import org.springframework.stereotype.Component;

/**
 * The flows this server runs, loaded and validated at start-up: an invalid flow stops the server with the same
 * problems {@code flows validate} prints, rather than failing in front of a requester.
 */
@Component
public class FlowCatalog {

    private final FlowRegistry registry;
    private final FlowEngine engine;

    FlowCatalog(FlowsSettings settings, Clock clock) {
        var result = FlowLibrary.load(settings.directory());
        if (!result.valid()) {
            throw new InvalidFlowsException(result.problems());
        }
        this.registry = result.registry();
        this.engine = new FlowEngine(registry, clock);
    }

    /** Every loaded flow version; register snapshots here to resume sessions on versions no longer shipped. */
    public FlowRegistry registry() {
        return registry;
    }

    public FlowEngine engine() {
        return engine;
    }
}
