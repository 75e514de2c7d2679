package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A stopping node gives its endpoints up and takes none back: a send still under way when the workers' grace ran out
 * must not renew the lease the node just released, or the other nodes wait a whole lease to send.
 */
@PersistenceTest
@SpringBootTest(properties = "lifeline.channels.send-lease=" + OutboxDispatcherStopTests.SEND_LEASE_SECONDS + "s")
class OutboxDispatcherStopTests {

    /** Not the default (60 s), so that a dispatcher taking its leases for any other length fails. */
    static final int SEND_LEASE_SECONDS = 37;

    @Autowired
    OutboxDispatcher dispatcher;

    @Autowired
    Adapters adapters;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    java.time.Clock clock;

    @Test
    void aStoppedDispatcherTakesNoLeaseAndAStartedOneDoes() {
        var endpoint = "stop-" + UUID.randomUUID();
        dispatcher.register("webchat", endpoint);
        try {
            dispatcher.stop();
            assertThat(dispatcher.dispatch(adapters.get("webchat"), endpoint)).isZero();
            assertThat(owner(endpoint)).as("no lease taken while stopping").isNull();
        } finally {
            dispatcher.start();
        }
        dispatcher.dispatch(adapters.get("webchat"), endpoint);
        assertThat(owner(endpoint)).as("the lease, once running again").isNotNull();
        dispatcher.release("webchat", endpoint);
        assertThat(owner(endpoint)).isNull();
    }

    /**
     * A wake-up comes with every queued answer; the lease is written once in {@link OutboxDispatcher#RENEW_EVERY}, not
     * at each (a committed write per answer and endpoint). ({@code ConcurrentDispatchTests} holds a dispatcher by a
     * pause set in the database, which it still heeds between renewals.)
     */
    @Test
    void theHolderRenewsItsLeaseEveryFewSecondsNotAtEveryWakeUp() {
        var endpoint = "renew-" + UUID.randomUUID();
        dispatcher.register("webchat", endpoint);
        var webchat = adapters.get("webchat");
        try {
            dispatcher.dispatch(webchat, endpoint);
            var until = leaseUntil(endpoint);
            assertThat(until).isNotNull();
            for (int i = 0; i < 5; i++) {
                dispatcher.dispatch(webchat, endpoint);
            }
            assertThat(leaseUntil(endpoint)).as("the lease, after five more wake-ups within seconds").isEqualTo(until);
        } finally {
            dispatcher.release("webchat", endpoint);
        }
    }

    /** A lease runs {@code lifeline.channels.send-lease} from when it is taken: how long a dead node holds the bot. */
    @Test
    void theLeaseLastsTheConfiguredSendLease() {
        var endpoint = "length-" + UUID.randomUUID();
        dispatcher.register("webchat", endpoint);
        try {
            var before = clock.instant();
            dispatcher.dispatch(adapters.get("webchat"), endpoint);
            var after = clock.instant();
            var until = jdbc.sql("select lease_until from channel_endpoint where channel = 'webchat' and endpoint = ?")
                    .param(endpoint).query((rs, n) -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant())
                    .single();
            assertThat(until).isBetween(before.plusSeconds(SEND_LEASE_SECONDS).minusMillis(1),
                    after.plusSeconds(SEND_LEASE_SECONDS).plusMillis(1));
        } finally {
            dispatcher.release("webchat", endpoint);
        }
    }

    private Object leaseUntil(String endpoint) {
        return jdbc.sql("select lease_until from channel_endpoint where channel = 'webchat' and endpoint = ?")
                .param(endpoint).query((rs, n) -> java.util.Optional.ofNullable(rs.getObject(1))).single().orElse(null);
    }

    /** The node holding the endpoint's lease, or null. */
    private Object owner(String endpoint) {
        return jdbc.sql("select lease_owner from channel_endpoint where channel = 'webchat' and endpoint = ?")
                .param(endpoint).query((rs, n) -> java.util.Optional.ofNullable(rs.getObject(1))).single().orElse(null);
    }
}
