package org.lifeline.console.web;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.OperatorId;
import org.lifeline.operators.Role;
import org.lifeline.testing.ManualClock;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** Accounts for console tests, and sessions signed in as them through the real two-step sign-in. */
final class ConsoleAccounts {

    static final String PASSWORD = "a long enough password";

    record Account(OperatorId id, String username, String secret, List<String> recoveryCodes) {
    }

    private final MockMvc mvc;
    private final OperatorAdministration administration;
    private final ManualClock clock;

    ConsoleAccounts(MockMvc mvc, OperatorAdministration administration, ManualClock clock) {
        this.mvc = mvc;
        this.administration = administration;
        this.clock = clock;
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An account with its second factor set up, as {@code users create} makes it. */
    Account create(Role role) {
        var created = administration.createEnrolled(uniqueName(role.name().toLowerCase()), role, PASSWORD);
        return new Account(created.operator().id(), created.operator().username(), created.enrolment().secret(),
                created.enrolment().recoveryCodes());
    }

    /** A session past the password step only. */
    MockHttpSession afterPassword(Account account) throws Exception {
        var session = new MockHttpSession();
        mvc.perform(post("/console/login").session(session).with(csrf())
                        .param("username", account.username()).param("password", PASSWORD))
                .andExpect(redirectedUrl("/console/login/code"));
        return session;
    }

    MockHttpSession signIn(Account account) throws Exception {
        var session = afterPassword(account);
        mvc.perform(post("/console/login/code").session(session).with(csrf()).param("code", nextCode(account.secret())))
                .andExpect(redirectedUrl("/console"));
        return session;
    }

    /** The code of the next time step, moving the clock there: each step's code is accepted only once. */
    String nextCode(String secret) {
        clock.advance(Duration.ofSeconds(30));
        return codeNow(secret);
    }

    String codeNow(String secret) {
        try {
            return new DefaultCodeGenerator().generate(secret, Math.floorDiv(clock.millis(), 30_000L));
        } catch (CodeGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    static String wrong(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }
}
