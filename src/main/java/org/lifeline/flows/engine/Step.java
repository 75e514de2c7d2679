package org.lifeline.flows.engine;

import java.util.List;

/** The result of one input: the state to persist, what to send, and what the host must do. */
public record Step(Session session, List<Output> outputs, List<Effect> effects) {
    public Step {
        outputs = List.copyOf(outputs);
        effects = List.copyOf(effects);
    }
}
