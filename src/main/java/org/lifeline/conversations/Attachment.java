package org.lifeline.conversations;

/** A file sent with a message, decrypted. */
public record Attachment(MessageId message, String mediaType, byte[] content) {
}
