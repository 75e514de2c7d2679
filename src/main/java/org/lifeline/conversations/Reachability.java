package org.lifeline.conversations;

/** Whether messages can reach a contact. */
public enum Reachability {
    REACHABLE,
    /** The channel refused delivery, for example he blocked the bot; he becomes reachable when he writes again. */
    UNREACHABLE,
    /** An operator decision, for example a provocation: nothing more is sent. */
    BLOCKED
}
