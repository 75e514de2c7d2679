/**
 * Contacts (people reachable on a channel), their conversations and messages. Channel ids and message bodies are
 * encrypted under each contact's own data key, so forgetting a contact erases them.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform", "privacy"})
package org.lifeline.conversations;
