package org.lifeline.privacy.envelope;

/**
 * A data key encrypted under the master key, as stored in the database.
 *
 * @param masterKeyId the id of the master key that wrapped it, so rotation can find keys still wrapped by older ones
 */
public record WrappedDataKey(byte[] bytes, int masterKeyId) {
}
