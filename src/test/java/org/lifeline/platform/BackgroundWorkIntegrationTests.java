package org.lifeline.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The node's background work runs as jobs of the one component: each kind under its name, none on a loop of its own. */
@SpringBootTest
@PersistenceTest
class BackgroundWorkIntegrationTests {

    @Autowired
    BackgroundWork work;

    @Test
    void everyKindOfBackgroundWorkIsAJob() {
        var names = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).toList();

        assertThat(work.isRunning()).isTrue();
        assertThat(names).contains("inbound-0", "inbound-1", "outbox-sweeper", "attachment-fetcher", "flow-timers",
                "retention", "message-kinds");
        assertThat(names).anyMatch(name -> name.startsWith("outbox-webchat-"));
    }
}
