package org.lifeline.channels;

import java.time.Duration;
import java.util.List;

/** Replies waiting to be sent, per endpoint, as the console shows them: how many, and how long they take to go out. */
public interface OutboundBacklog {

    /** Endpoints of this node with messages waiting or in flight, busiest first; empty when everything has gone. */
    List<Endpoint> waiting();

    /**
     * @param channel the channel's code ({@code telegram}, …)
     * @param endpoint the bot or number (the hotline's own, never a requester's)
     * @param messages messages waiting or in flight
     * @param perSecond the endpoint's configured sending rate
     */
    record Endpoint(String channel, String endpoint, long messages, double perSecond) {

        /** At the configured rate; longer when many wait for one recipient (each has its own, slower limit). */
        public Duration expectedDrain() {
            return Duration.ofMillis((long) Math.ceil(messages * 1000 / perSecond));
        }
    }
}
