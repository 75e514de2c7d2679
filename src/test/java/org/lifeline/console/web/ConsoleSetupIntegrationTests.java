package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifeline.testing.ManualClock;
import org.lifeline.operators.OperatorManagement;
import org.lifeline.operators.Role;
import org.lifeline.platform.DataDirectory;
import org.lifeline.testing.ConsoleTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The first-admin setup exists only on a system without admins, so each test starts by removing them. Only the
 * one-time setup token, from the server's console or its data directory, opens it; the address counts for nothing.
 */
@ConsoleTest
@ExtendWith(OutputCaptureExtension.class)
class ConsoleSetupIntegrationTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    OperatorManagement operators;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataDirectory dataDirectory;

    @Autowired
    ManualClock clock;

    /** A fresh install: no admin and no token yet. */
    @BeforeEach
    void noAdmins() throws IOException {
        jdbc.sql("delete from operator_account where role = 'ADMIN'").update();
        Files.deleteIfExists(tokenFile());
    }

    @Test
    void createsTheFirstAdminWithTheSetupTokenWhichIsThenUsedUp(CapturedOutput output) throws Exception {
        var name = ConsoleAccounts.uniqueName("first");
        mvc.perform(get("/console/setup")).andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Create the first admin")));
        var token = token();
        assertThat(output.getOut()).as("shown on the server's console").contains(token);
        assertThat(Files.getPosixFilePermissions(tokenFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        mvc.perform(setup(token, name, ConsoleAccounts.PASSWORD, ConsoleAccounts.PASSWORD))
                .andExpect(redirectedUrl("/console/login?setup"));

        assertThat(operators.list()).filteredOn(operator -> operator.username().equals(name)).singleElement()
                .satisfies(admin -> {
                    assertThat(admin.role()).isEqualTo(Role.ADMIN);
                    assertThat(admin.enrolled()).as("sets up the second factor at first sign-in").isFalse();
                });
        assertThat(tokenFile()).as("used up").doesNotExist();
        mvc.perform(get("/console/setup")).andExpect(status().isNotFound());
        mvc.perform(setup(token, "second-admin", ConsoleAccounts.PASSWORD, ConsoleAccounts.PASSWORD))
                .andExpect(status().isNotFound());

        jdbc.sql("delete from operator_account where role = 'ADMIN'").update();
        mvc.perform(setup(token, "third-admin", ConsoleAccounts.PASSWORD, ConsoleAccounts.PASSWORD))
                .andExpect(content().string(Matchers.containsString("not the setup token")));
        assertThat(operators.list()).noneMatch(operator -> operator.role() == Role.ADMIN);
    }

    @Test
    void refusesWithoutTheTokenWhateverTheAddress() throws Exception {
        mvc.perform(get("/console/setup"));
        for (var address : new String[] {"127.0.0.1", "::1", "203.0.113.7"}) {
            mvc.perform(setup(null, "loopback-admin", ConsoleAccounts.PASSWORD, ConsoleAccounts.PASSWORD)
                            .with(from(address)))
                    .andExpect(content().string(Matchers.containsString("not the setup token")));
            mvc.perform(setup("guessed-" + address, "loopback-admin", ConsoleAccounts.PASSWORD, ConsoleAccounts.PASSWORD)
                            .with(from(address)))
                    .andExpect(content().string(Matchers.containsString("not the setup token")));
        }
        assertThat(operators.list()).noneMatch(operator -> operator.role() == Role.ADMIN);
    }

    @Test
    void theTokenExpiresAndTheNextVisitPrintsANewOne() throws Exception {
        mvc.perform(get("/console/setup"));
        var old = token();
        clock.advance(Duration.ofHours(24));

        mvc.perform(setup(old, "late-admin", ConsoleAccounts.PASSWORD, ConsoleAccounts.PASSWORD))
                .andExpect(content().string(Matchers.containsString("not the setup token")));
        assertThat(operators.list()).noneMatch(operator -> operator.role() == Role.ADMIN);

        mvc.perform(get("/console/setup")).andExpect(status().isOk());
        var fresh = token();
        assertThat(fresh).isNotEqualTo(old);
        mvc.perform(setup(fresh, ConsoleAccounts.uniqueName("on-time"), ConsoleAccounts.PASSWORD,
                ConsoleAccounts.PASSWORD)).andExpect(redirectedUrl("/console/login?setup"));
    }

    @Test
    void theSignInPageTellsANewcomerHowToBeginWithoutTheToken() throws Exception {
        mvc.perform(get("/console/setup"));
        var page = mvc.perform(get("/console/login")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();

        assertThat(page).contains("no admin yet", "setup token", "/console/setup", "users create").doesNotContain(token());
    }

    @Test
    void saysWhatIsWrongWithTheForm() throws Exception {
        mvc.perform(get("/console/setup"));
        var token = token();
        mvc.perform(setup(token, "admin", ConsoleAccounts.PASSWORD, ConsoleAccounts.PASSWORD + "x"))
                .andExpect(status().isOk()).andExpect(content().string(Matchers.containsString("The two passwords differ")));
        mvc.perform(setup(token, "admin", "too short", "too short"))
                .andExpect(status().isOk()).andExpect(content().string(Matchers.containsString("at least 12")));
        mvc.perform(setup(token, "admin user", ConsoleAccounts.PASSWORD, ConsoleAccounts.PASSWORD))
                .andExpect(status().isOk()).andExpect(content().string(Matchers.containsString("A username has")));

        assertThat(operators.list()).noneMatch(operator -> operator.role() == Role.ADMIN);
        assertThat(token()).as("a form problem does not use the token up").isEqualTo(token);
    }

    private Path tokenFile() {
        return dataDirectory.root().resolve("setup-token");
    }

    private String token() throws IOException {
        return Files.readAllLines(tokenFile()).getFirst().strip();
    }

    private static MockHttpServletRequestBuilder setup(String token, String username, String password, String repeated) {
        var request = post("/console/setup").with(csrf())
                .param("username", username).param("password", password).param("repeated", repeated);
        return token == null ? request : request.param("token", token);
    }

    private static org.springframework.test.web.servlet.request.RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }
}
