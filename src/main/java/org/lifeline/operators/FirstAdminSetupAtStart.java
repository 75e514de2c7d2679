package org.lifeline.operators;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** A server that starts without an admin prints a setup token at once; commands (no web server) do not. */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class FirstAdminSetupAtStart {

    private final OperatorAdministration administration;

    FirstAdminSetupAtStart(OperatorAdministration administration) {
        this.administration = administration;
    }

    @EventListener(ApplicationReadyEvent.class)
    void offer() {
        administration.announceFirstAdminSetup();
    }
}
