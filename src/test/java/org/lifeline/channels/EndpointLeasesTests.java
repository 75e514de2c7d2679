package org.lifeline.channels;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lifeline.platform.Databases;
import org.lifeline.platform.SqlTimestamps;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.env.MockEnvironment;

/**
 * A node that starts on a database embedded in its process takes over at once what a killed process was sending (no
 * other process can be running on it); on a shared database it waits for the lease to run out, as ever.
 */
@PersistenceTest
@SpringBootTest
class EndpointLeasesTests {

    @Autowired
    EndpointLeases leases;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Clock clock;
    @Autowired
    Environment environment;

    @Test
    void aLeaseAKilledProcessLeftIsTakenAtStartOnlyWhereNoOtherProcessCanRun() {
        var endpoint = "killed-" + UUID.randomUUID();
        leases.register("webchat", endpoint);
        // held for another minute by a node of a process that no longer runs (or, on PostgreSQL, may)
        jdbc.sql("update channel_endpoint set lease_owner = ?, lease_until = ? where channel = 'webchat' and endpoint = ?")
                .params("0123456789abcdef01234567-" + UUID.randomUUID(), SqlTimestamps.of(clock.instant().plusSeconds(60)), endpoint)
                .update();

        var started = new EndpointLeases(jdbc, clock, environment);

        var embedded = !DatabaseAvailability.onPostgres();
        assertThat(Databases.embeddedInThisProcess(environment)).isEqualTo(embedded);
        assertThat(started.acquire("webchat", endpoint, Duration.ofMinutes(1)))
                .as(embedded ? "taken at once" : "another node's, until it runs out").isEqualTo(embedded);
        started.release("webchat", endpoint);
    }

    @Test
    void aLeaseOfAnotherNodeOfThisProcessStays() {
        var endpoint = "alive-" + UUID.randomUUID();
        leases.register("webchat", endpoint);
        assertThat(leases.acquire("webchat", endpoint, Duration.ofMinutes(1))).isTrue();
        try {
            // tests start application contexts beside one another in one process, on one embedded database
            var started = new EndpointLeases(jdbc, clock, environment);

            assertThat(started.acquire("webchat", endpoint, Duration.ofMinutes(1))).isFalse();
        } finally {
            leases.release("webchat", endpoint);
        }
    }

    @Test
    void onlyH2InThisProcessCountsAsEmbedded() {
        assertThat(embedded("jdbc:h2:file:/data/db/lifeline;MODE=PostgreSQL")).isTrue();
        assertThat(embedded("jdbc:h2:mem:lifeline;DB_CLOSE_DELAY=-1")).isTrue();
        assertThat(embedded("jdbc:h2:~/lifeline")).isTrue();
        assertThat(embedded("jdbc:h2:file:/data/db/lifeline;auto_server=true")).isFalse();
        assertThat(embedded("jdbc:h2:tcp://db.example/lifeline")).isFalse();
        assertThat(embedded("jdbc:h2:ssl://db.example/lifeline")).isFalse();
        assertThat(embedded("jdbc:postgresql://db.example/lifeline")).isFalse();
        assertThat(embedded(null)).isFalse();
    }

    private static boolean embedded(String url) {
        var environment = new MockEnvironment();
        if (url != null) {
            environment.setProperty("spring.datasource.url", url);
        }
        return Databases.embeddedInThisProcess(environment);
    }
}
