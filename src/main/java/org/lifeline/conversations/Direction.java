package org.lifeline.conversations;

public enum Direction {
    INBOUND,
    OUTBOUND
}
