package org.lifeline.privacy;

/**
 * Stored blind indexes that can be computed again from what is stored encrypted beside them. Each module that
 * stores such indexes declares a bean; {@code keys rotate-index} asks each to re-index under the new key.
 */
public interface BlindIndexed {

    /** What is re-indexed, for the command's report. */
    String what();

    /**
     * Recomputes every stored index under the current primary index key ({@link DataProtection#blindIndex}),
     * in batches of its own transactions, so that the job can be interrupted and run again.
     *
     * @return how many indexes changed
     */
    long reindex();
}
