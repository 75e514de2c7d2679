package org.lifeline.flows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.BooleanSupplier;

import org.lifeline.flows.engine.FlowEngine;

/**
 * The flow catalog, whose engine breaks while {@code broken} says so: its clock throws {@code failure}, standing for
 * any bug or flow problem validation missed.
 */
class BreakableFlowCatalog extends FlowCatalog {

    private final BooleanSupplier broken;
    private final FlowEngine breaking;

    BreakableFlowCatalog(FlowsSettings settings, Clock clock, BooleanSupplier broken, String failure) {
        super(settings, clock);
        this.broken = broken;
        this.breaking = new FlowEngine(registry(), new Clock() {
            @Override
            public ZoneId getZone() {
                return clock.getZone();
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                throw new IllegalStateException(failure);
            }
        });
    }

    @Override
    public FlowEngine engine() {
        return broken.getAsBoolean() ? breaking : super.engine();
    }
}
