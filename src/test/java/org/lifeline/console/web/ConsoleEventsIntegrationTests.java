package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;
import org.lifeline.operators.OperatorLogin;
import org.lifeline.operators.Role;
import org.lifeline.testing.ConsoleTest;
import org.springframework.beans.factory.annotation.Autowired;

/** A queue stream opened by a session that has since ended (disabled, signed out elsewhere) hears no more events. */
@ConsoleTest
class ConsoleEventsIntegrationTests extends ConsoleFixture {

    @Autowired
    ConsoleEvents events;

    @Autowired
    OperatorLogin login;

    @Test
    void aStreamWhoseSignInEndedIsClosedAtTheNextEventAfterItsRecheck() throws Exception {
        var ended = signedIn(accounts.create(Role.OPERATOR));
        var going = signedIn(accounts.create(Role.OPERATOR));
        var before = events.open();
        events.subscribe(ended.authentication());
        events.subscribe(going.authentication());
        assertThat(events.open()).isEqualTo(before + 2);

        administration.setEnabled(ended.id(), false);
        events.broadcast();
        assertThat(events.open()).as("checked again only after a while").isEqualTo(before + 2);

        clock.advance(ConsoleEvents.RECHECK);
        events.broadcast();

        assertThat(events.open()).as("the disabled operator's stream closed, the other open").isEqualTo(before + 1);
    }

    private record SignedIn(org.lifeline.operators.OperatorId id,
            org.springframework.security.core.Authentication authentication) {
    }

    private SignedIn signedIn(ConsoleAccounts.Account account) {
        var first = login.checkPassword(account.username(), ConsoleAccounts.PASSWORD).orElseThrow();
        var code = accounts.nextCode(account.secret());
        return new SignedIn(account.id(), login.checkCode(first, code).orElseThrow());
    }
}
