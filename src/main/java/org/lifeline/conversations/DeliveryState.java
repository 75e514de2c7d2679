package org.lifeline.conversations;

import java.util.Set;

/** Where a message is on its way: {@link #RECEIVED} for inbound, the others for outbound. */
public enum DeliveryState {
    RECEIVED,
    PENDING,
    SENT,
    DELIVERED,
    FAILED;

    /**
     * Channel reports may arrive late or twice, so a state never moves backwards (a delivered message stays
     * delivered); a failed one may be queued again.
     */
    boolean canBecome(DeliveryState next) {
        return switch (this) {
            case RECEIVED, DELIVERED -> false;
            case PENDING -> Set.of(SENT, DELIVERED, FAILED).contains(next);
            case SENT -> Set.of(DELIVERED, FAILED).contains(next);
            case FAILED -> next == PENDING;
        };
    }
}
