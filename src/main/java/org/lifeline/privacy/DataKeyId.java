package org.lifeline.privacy;

import java.util.Objects;
import java.util.UUID;

/** Identifies one subject's data key (a contact's, a case's). */
public record DataKeyId(UUID value) {

    public DataKeyId {
        Objects.requireNonNull(value, "value");
    }
}
