package org.lifeline.channels.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param uncertainAfter how long an outbound message may stay in flight (marked as being sent, its outcome not yet
 *         recorded) before it counts as abandoned by a node that stopped mid-send: it is then failed as "uncertain"
 *         for an operator to look at, never sent again. Longer than any one call to a channel may take.
 * @param inFlightPerEndpoint how many calls to one endpoint (a bot, a number) may await their answer at once, each
 *         to a different recipient. A bot reaches its rate when this is at least the rate times the round trip (28 a
 *         second over 100 ms: 3); a crash leaves at most this many messages uncertain per endpoint.
 */
@ConfigurationProperties("lifeline.channels")
public record ChannelsSettings(@DefaultValue("2m") Duration uncertainAfter,
        @DefaultValue("8") int inFlightPerEndpoint) {
}
