package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.servlet.http.Cookie;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.lifeline.operators.Role;
import org.lifeline.testing.ConsoleTest;
import org.lifeline.testing.MockMvcSessionCookies;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Console sessions in the database ({@link ConsoleSessions}): what a copy of it holds, and how sessions that two
 * nodes handle at once, sign-outs and the idle timeout interact. The same over HTTP across two real nodes is in
 * {@code TwoNodesIntegrationTests}.
 */
@ConsoleTest
class ConsoleSessionsIntegrationTests extends ConsoleFixture {

    private static final String SIGN_IN = "/console/login";

    @Autowired
    ConsoleSessions sessions;

    @Autowired
    JdbcClient jdbc;

    @Test
    void theDatabaseHoldsNeitherTheSessionIdNorAReadableSignIn() throws Exception {
        var account = accounts.create(Role.SUPERVISOR);
        var id = MockMvcSessionCookies.sessionId(accounts.signIn(account));

        var row = jdbc.sql("select id_hash, attributes_enc from console_session where id_hash = ?").param(sha256(id))
                .query((rs, n) -> new byte[][] {rs.getBytes(1), rs.getBytes(2)}).single();
        var stored = HexFormat.of().formatHex(row[0]) + new String(row[1], StandardCharsets.ISO_8859_1);
        assertThat(stored).doesNotContain(id, account.username(), account.id().value().toString(),
                "org.lifeline", "SUPERVISOR");
        assertThat(jdbc.sql("select count(*) from console_session where id_hash = ?")
                .param(id.getBytes(StandardCharsets.UTF_8)).query(Long.class).single()).isZero();
    }

    @Test
    void aRequestThatLoadedTheSessionBeforeASignOutDoesNotBringItBack() throws Exception {
        var session = accounts.signIn(accounts.create(Role.OPERATOR));
        var id = MockMvcSessionCookies.sessionId(session);
        // the console's live updates: a request that loaded the session and is still open
        var streaming = sessions.findById(id);

        mvc.perform(post("/console/logout").session(session).with(csrf()))
                .andExpect(redirectedUrl("/console/login?signed-out"));
        streaming.setLastAccessedTime(clock.instant());
        sessions.save(streaming);

        assertThat(sessions.findById(id)).isNull();
        mvc.perform(get("/console").cookie(new Cookie(MockMvcSessionCookies.COOKIE, id)))
                .andExpect(redirectedUrl(SIGN_IN));
    }

    @Test
    void aRequestThatChangedNothingDoesNotUndoWhatAnotherChangedMeanwhile() throws Exception {
        var id = MockMvcSessionCookies.sessionId(accounts.signIn(accounts.create(Role.OPERATOR)));
        var slow = sessions.findById(id);
        var quick = sessions.findById(id);

        quick.setAttribute("changed", "by the quick request");
        sessions.save(quick);
        sessions.save(slow);

        assertThat(sessions.findById(id).<String>getAttribute("changed")).isEqualTo("by the quick request");
    }

    @Test
    void aSessionEndsAfterTheIdleTimeoutOnTheApplicationsClockAndIsThenDeleted() throws Exception {
        var session = accounts.signIn(accounts.create(Role.OPERATOR));
        var id = MockMvcSessionCookies.sessionId(session);
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(29));
            mvc.perform(get("/console").session(session)).andExpect(status().isOk());
        }

        clock.advance(Duration.ofMinutes(30));
        sessions.round();
        assertThat(jdbc.sql("select count(*) from console_session where id_hash = ?").param(sha256(id))
                .query(Long.class).single()).as("deleted by the periodic clean-up").isZero();
        mvc.perform(get("/console").cookie(new Cookie(MockMvcSessionCookies.COOKIE, id)))
                .andExpect(redirectedUrl(SIGN_IN));
    }

    @Test
    void aSessionEndsAfterTwelveHoursHoweverActive() throws Exception {
        var session = accounts.signIn(accounts.create(Role.OPERATOR));
        var id = MockMvcSessionCookies.sessionId(session);
        // a request every 29 minutes (the queue's live updates reconnect by themselves) up to 11 h 36 min
        for (int i = 0; i < 24; i++) {
            clock.advance(Duration.ofMinutes(29));
            mvc.perform(get("/console").session(session)).andExpect(status().isOk());
        }

        clock.advance(Duration.ofMinutes(29));
        mvc.perform(get("/console").cookie(new Cookie(MockMvcSessionCookies.COOKIE, id)))
                .andExpect(redirectedUrl(SIGN_IN));
        assertThat(ConsoleSessions.LONGEST).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void anExpiredSessionIsNotReadEvenBeforeTheCleanUpDeletesIt() throws Exception {
        var session = accounts.signIn(accounts.create(Role.OPERATOR));
        clock.advance(Duration.ofMinutes(31));

        mvc.perform(get("/console").session(session)).andExpect(redirectedUrl(SIGN_IN));
    }

    @Test
    void anAdministratorsSessionCopiedOntoAnOperatorsRowOpensNothing() throws Exception {
        var admin = MockMvcSessionCookies.sessionId(accounts.signIn(accounts.create(Role.ADMIN)));
        var operator = accounts.signIn(accounts.create(Role.OPERATOR));
        var operatorId = MockMvcSessionCookies.sessionId(operator);

        jdbc.sql("""
                update console_session set (data_key_id, attributes_enc) =
                    (select data_key_id, attributes_enc from console_session where id_hash = ?)
                where id_hash = ?""").params(sha256(admin), sha256(operatorId)).update();

        mvc.perform(get("/console/users").session(operator)).andExpect(redirectedUrl(SIGN_IN));
        assertThat(sessions.findById(operatorId)).as("ended").isNull();
        assertThat(sessions.findById(admin)).as("the copied session itself still works").isNotNull();
    }

    @Test
    void forgedSessionCookiesOpenNothing() throws Exception {
        for (var forged : new String[] {"", "x", "%00%0d%0aSet-Cookie: a=b", "A".repeat(4000),
                "00000000-0000-0000-0000-000000000000"}) {
            mvc.perform(get("/console").cookie(new Cookie(MockMvcSessionCookies.COOKIE, forged)))
                    .andExpect(redirectedUrl(SIGN_IN));
        }
    }

    private static byte[] sha256(String id) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
    }
}
