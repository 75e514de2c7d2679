package org.lifeline.operators;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** An operator account's identifier: random, so it says nothing about the person and can appear in URLs. */
public record OperatorId(UUID value) implements Serializable {

    public OperatorId {
        Objects.requireNonNull(value, "value");
    }

    static OperatorId random() {
        return new OperatorId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
