package org.lifeline.conversations;

/**
 * The requester is about to be forgotten, in this transaction: his data can still be read, for listeners that must
 * find what they keep about him by his channel id (keyed hashes of it) before that id is gone for good.
 */
public record ContactForgetting(ContactId contact) {
}
