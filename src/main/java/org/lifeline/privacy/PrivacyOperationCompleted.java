package org.lifeline.privacy;

/**
 * An operation on keys or retention finished ({@code keys.rotate}, {@code keys.retire}, {@code keys.rotate-index},
 * {@code retention.run}): the access record notes it, as it notes every change.
 */
public record PrivacyOperationCompleted(String action) {
}
