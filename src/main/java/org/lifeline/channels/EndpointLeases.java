package org.lifeline.channels;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.lifeline.platform.SqlTimestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which node sends for an endpoint, or polls a bot: a lease on the endpoint's row, taken and renewed by single
 * statements that commit at once. Unlike a row lock held for the work, nothing waits on the network with a
 * transaction open or a pooled connection taken, and a node that dies loses its leases when they run out. On a
 * database embedded in this process, no other process can be running on it: leases another process left (one
 * killed) are dead, and are given up at start instead of waited out (a minute without sending after a crash).
 */
@Component
public class EndpointLeases {

    /** This process, for as long as it runs: the first part of each of its nodes' names. */
    private static final String PROCESS = UUID.randomUUID().toString().replace("-", "").substring(0, 24);

    private final JdbcClient jdbc;
    private final Clock clock;
    /** This node (an application context of this process), for as long as it runs. */
    private final String owner = PROCESS + "-" + UUID.randomUUID();

    EndpointLeases(JdbcClient jdbc, Clock clock, org.springframework.core.env.Environment environment) {
        this.jdbc = jdbc;
        this.clock = clock;
        if (org.lifeline.platform.Databases.embeddedInThisProcess(environment)) {
            releaseOtherProcesses();
        }
    }

    /**
     * Gives up the leases held by nodes of other processes (there are none running on an embedded database); those
     * of this process's other application contexts stay.
     */
    void releaseOtherProcesses() {
        jdbc.sql("""
                update channel_endpoint set lease_owner = null, lease_until = null
                where lease_owner is not null and lease_owner not like ?""")
                .param(PROCESS + "-%").update();
    }

    /** Makes sure the endpoint has its row. */
    public void register(String channel, String endpoint) {
        jdbc.sql("insert into channel_endpoint (channel, endpoint) values (?, ?) on conflict do nothing")
                .params(channel, endpoint).update();
    }

    /**
     * Takes or renews the lease for {@code length}, unless another node holds it or the endpoint is paused.
     * Returns whether this node now holds it.
     */
    public boolean acquire(String channel, String endpoint, Duration length) {
        var now = clock.instant();
        return jdbc.sql("""
                update channel_endpoint set lease_owner = :owner, lease_until = :until
                where channel = :channel and endpoint = :endpoint
                  and (lease_owner is null or lease_owner = :owner or lease_until < :now)
                  and (paused_until is null or paused_until <= :now)""")
                .param("owner", owner).param("until", SqlTimestamps.of(now.plus(length)))
                .param("channel", channel).param("endpoint", endpoint).param("now", SqlTimestamps.of(now))
                .update() == 1;
    }

    /**
     * Whether the endpoint is paused in the database (after a 429, by whichever node sent; or by hand): a read, for
     * the holder of the lease between two renewals.
     */
    public boolean paused(String channel, String endpoint) {
        return jdbc.sql("select count(*) from channel_endpoint where channel = ? and endpoint = ? and paused_until > ?")
                .params(channel, endpoint, SqlTimestamps.of(clock.instant())).query(Long.class).single() > 0;
    }

    /** Gives the lease up, if this node holds it, so another node may take over at once. */
    public void release(String channel, String endpoint) {
        jdbc.sql("""
                update channel_endpoint set lease_owner = null, lease_until = null
                where channel = ? and endpoint = ? and lease_owner = ?""")
                .params(channel, endpoint, owner).update();
    }
}
