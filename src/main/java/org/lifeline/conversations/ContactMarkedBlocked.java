package org.lifeline.conversations;

/** An operator blocked the contact. */
public record ContactMarkedBlocked(ContactId contact) {
}
