package org.lifeline.flows.engine;

/** One thing the requester (or the host's timer) did. Channels without buttons send choices as {@link Text}. */
public sealed interface Input {

    /** Typed text; may also be a choice number or label, a command, coordinates or a grid reference. */
    record Text(String text) implements Input {
    }

    /** A button press, by the stable choice id. */
    record Choice(String id) implements Input {
    }

    /** A location shared by the channel (Telegram, WhatsApp). */
    record Location(double latitude, double longitude) implements Input {
    }

    /** A photo, by the host's reference to where it stored it (the engine never holds the bytes). */
    record Photo(String reference) implements Input {
    }

    /** A command given through the channel's own means (a menu entry, a bot command). */
    record CommandGiven(Command command) implements Input {
    }

    /** The host's timer: lets the engine remind or expire a session that waits for an answer. */
    record Tick() implements Input {
    }
}
