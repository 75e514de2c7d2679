package org.lifeline.flows.engine;

import java.util.Map;

/** What the host must do for the requester, in the order given. */
public sealed interface Effect {

    /** Opens a case with the answers collected so far. Texts after it may hold {@code {case_reference}}. */
    record OpenCase(CaseKind kind, Map<String, String> fields) implements Effect {
        public OpenCase {
            fields = Map.copyOf(fields);
        }
    }

    /** Sets fields on the case this session opened. */
    record UpdateCase(Map<String, String> fields) implements Effect {
        public UpdateCase {
            fields = Map.copyOf(fields);
        }
    }

    /** Puts the conversation in an operator queue; the bot stops answering free text. */
    record Handover(String queue, String reason) implements Effect {
    }

    /** The flow is over ({@code reason}: {@code flow}, {@code expired} or {@code deleted}). */
    record End(String reason) implements Effect {
    }

    /** The requester asked for his data to be deleted: the host purges it (crypto-shredding). */
    record DeleteDataRequested() implements Effect {
    }

    enum CaseKind {
        SURRENDER_REQUEST, FAMILY_INQUIRY
    }
}
