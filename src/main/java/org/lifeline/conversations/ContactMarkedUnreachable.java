package org.lifeline.conversations;

/** The channel refused delivery to the contact. */
public record ContactMarkedUnreachable(ContactId contact) {
}
