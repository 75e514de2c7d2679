package org.lifeline.testing;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.lifeline.conversations.ContactForgetting;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Notes every contact whose {@link ContactForgetting} was published, in any context the tests start (commands'
 * among them), so that a test can tell the listeners of a forgetting ran. It only listens.
 */
@Component
public class ForgettingWitness {

    private static final Map<UUID, Integer> FORGETTINGS = new ConcurrentHashMap<>();

    @EventListener
    void on(ContactForgetting event) {
        FORGETTINGS.merge(event.contact().value(), 1, Integer::sum);
    }

    /** How many times he was being forgotten, in any context of this test run. */
    public static int forgettings(UUID contact) {
        return FORGETTINGS.getOrDefault(contact, 0);
    }
}
