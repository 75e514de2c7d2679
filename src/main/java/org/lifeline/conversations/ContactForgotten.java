package org.lifeline.conversations;

/** The contact's data was erased (crypto-shredded). */
public record ContactForgotten(ContactId contact) {
}
