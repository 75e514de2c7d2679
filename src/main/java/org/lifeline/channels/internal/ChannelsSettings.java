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
 * @param inboundWorkers how many updates this node processes at once (each of a different sender). More can help
 *         when the database is on another machine (a worker then waits on the network for much of an update); on
 *         one 2-core machine with the database beside it, 4 or 8 were no faster than 2.
 * @param inboundBatch how many updates one transaction may process while a backlog waits (one commit for them all);
 *         1 processes each in a transaction of its own. With nothing else pending a batch is one update. 64: on H2
 *         each commit writes every page it changed to the file, so fewer, larger commits drained a backlog about 10%
 *         faster than 16; on PostgreSQL no slower.
 * @param inboundBatchTime how long a batch may go on taking updates: about what a backlog may add to an answer's delay
 *         (the updates a batch claimed at once, up to 16, it finishes).
 * @param intakeFirst whether taking updates in comes before processing them: while updates are arriving, at most half
 *         the inbound workers (at least one) process at once (on PostgreSQL in batches of at most 16), and the cores
 *         left go to acknowledging what arrives
 *         ({@link IntakeFirst}). On 2 cores, a closed-loop flood was acknowledged 1.6 times as fast with it on
 *         PostgreSQL (p99 40 to 23–25 ms), 2.8 times on H2, while processing slowed to a few dozen (PostgreSQL) or a few
 *         hundred (H2) a second until it ebbed; then the backlog drains at full pace.
 * @param intakeJournal on H2 only: whether the webhooks' updates are committed to a journal of their own (a second H2
 *         database beside the main one) and moved into the main one in batches ({@link IntakeJournal}), so that the
 *         intake's commits do not write processing's pages. Ignored on PostgreSQL.
 * @param sendLease how long a node's lease on sending for an endpoint (a bot, a number) lasts without being renewed
 *         (it is renewed every 5 s while the node runs): when a node dies, the others (or the node restarted) send for
 *         its endpoints after this long. Between 15 s and 10 minutes; shorter hands over sooner after a crash, at the
 *         price of a node that stalls longer than this (a pause of its machine) losing its endpoints meanwhile.
 * @param inboundRetryAfter how long an update whose processing failed waits before it is tried again, doubled after
 *         each failed attempt (5 s, 10 s, 20 s, 40 s: the fifth and last comes about 75 s after the first, long enough
 *         for a database failover or a restart to pass); a failure of the database itself is not counted and waits
 *         this long. His later updates wait behind it. At most a minute.
 */
@ConfigurationProperties("lifeline.channels")
public record ChannelsSettings(@DefaultValue("2m") Duration uncertainAfter,
        @DefaultValue("8") int inFlightPerEndpoint, @DefaultValue("2") int inboundWorkers,
        @DefaultValue("64") int inboundBatch, @DefaultValue("100ms") Duration inboundBatchTime,
        @DefaultValue("true") boolean intakeFirst, @DefaultValue("true") boolean intakeJournal,
        @DefaultValue("60s") Duration sendLease, @DefaultValue("5s") Duration inboundRetryAfter) {

    public ChannelsSettings {
        if (inboundWorkers < 1 || inboundWorkers > 64) {
            throw new IllegalArgumentException("lifeline.channels.inbound-workers is between 1 and 64");
        }
        if (inboundBatch < 1 || inboundBatch > 256) {
            throw new IllegalArgumentException("lifeline.channels.inbound-batch is between 1 and 256");
        }
        if (sendLease.compareTo(Duration.ofSeconds(15)) < 0 || sendLease.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("lifeline.channels.send-lease is between 15s and 10m");
        }
        if (inboundRetryAfter.isNegative() || inboundRetryAfter.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("lifeline.channels.inbound-retry-after is between 0s and 1m");
        }
    }
}
