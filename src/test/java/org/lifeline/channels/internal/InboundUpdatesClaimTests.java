package org.lifeline.channels.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A node claims only the updates of the endpoints it is configured for: another endpoint's update needs that
 * endpoint's settings to be read and answered.
 */
@PersistenceTest
@SpringBootTest
class InboundUpdatesClaimTests {

    @Autowired
    InboundUpdates updates;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void anUpdateIsClaimedOnlyByANodeThatServesItsEndpoint() {
        // an endpoint this test's application is not configured for: its own workers leave the update alone
        var endpoint = "unserved_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        var sender = ("sender-" + endpoint).getBytes(StandardCharsets.UTF_8);
        assertThat(updates.store("telegram", endpoint, "1", sender, "{\"update_id\":1}", false)).isTrue();

        var transaction = new TransactionTemplate(transactions);
        var byAnotherNode = transaction.execute(status -> {
            status.setRollbackOnly();
            return updates.claimNext(List.of(new InboundUpdates.Endpoint("telegram", "some_other_bot"),
                    new InboundUpdates.Endpoint("whatsapp", endpoint)));
        });
        assertThat(byAnotherNode.filter(c -> c.endpoint().equals(endpoint))).isEmpty();

        var byItsNode = transaction.execute(status -> {
            status.setRollbackOnly();
            return updates.claimNext(List.of(new InboundUpdates.Endpoint("telegram", endpoint)));
        });
        assertThat(byItsNode).hasValueSatisfying(c -> {
            assertThat(c.channel()).isEqualTo("telegram");
            assertThat(c.endpoint()).isEqualTo(endpoint);
        });
        Optional<InboundUpdates.Claimed> byANodeWithoutEndpoints = transaction.execute(status -> {
            status.setRollbackOnly();
            return updates.claimNext(List.of());
        });
        assertThat(byANodeWithoutEndpoints).isEmpty();
    }
}
