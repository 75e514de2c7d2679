package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lifeline.operators.OperatorManagement;
import org.lifeline.operators.Role;
import org.lifeline.testing.ConsoleTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The first-admin setup exists only on a system without admins, so each test starts by removing them. */
@ConsoleTest
class ConsoleSetupIntegrationTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    OperatorManagement operators;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void noAdmins() {
        jdbc.sql("delete from operator_account where role = 'ADMIN'").update();
    }

    @Test
    void createsTheFirstAdminFromThisMachineThenIsGone() throws Exception {
        var name = ConsoleAccounts.uniqueName("first");
        mvc.perform(get("/console/setup")).andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Create the first admin")));

        mvc.perform(setup(name, ConsoleAccounts.PASSWORD, ConsoleAccounts.PASSWORD))
                .andExpect(redirectedUrl("/console/login?setup"));

        assertThat(operators.list()).filteredOn(operator -> operator.username().equals(name)).singleElement()
                .satisfies(admin -> {
                    assertThat(admin.role()).isEqualTo(Role.ADMIN);
                    assertThat(admin.enrolled()).as("sets up the second factor at first sign-in").isFalse();
                });
        mvc.perform(get("/console/setup")).andExpect(status().isNotFound());
        mvc.perform(setup("second-admin", ConsoleAccounts.PASSWORD, ConsoleAccounts.PASSWORD))
                .andExpect(status().isNotFound());
        assertThat(operators.list()).noneMatch(operator -> operator.username().equals("second-admin"));
    }

    @Test
    void isNotThereForOtherMachines() throws Exception {
        for (var address : new String[] {"203.0.113.7", "10.0.0.2", "2001:db8::1"}) {
            mvc.perform(get("/console/setup").with(from(address))).andExpect(status().isNotFound());
            mvc.perform(setup("remote-admin", ConsoleAccounts.PASSWORD, ConsoleAccounts.PASSWORD).with(from(address)))
                    .andExpect(status().isNotFound());
        }
        assertThat(operators.list()).noneMatch(operator -> operator.role() == Role.ADMIN);
    }

    @Test
    void isNotThereThroughAProxyOnThisMachine() throws Exception {
        mvc.perform(get("/console/setup").header("X-Forwarded-For", "127.0.0.1")).andExpect(status().isNotFound());
        mvc.perform(get("/console/setup").header("Forwarded", "for=198.51.100.2")).andExpect(status().isNotFound());
        mvc.perform(get("/console/setup").header("X-Real-IP", "198.51.100.2")).andExpect(status().isNotFound());
    }

    @Test
    void acceptsIpv6Loopback() throws Exception {
        mvc.perform(get("/console/setup").with(from("::1"))).andExpect(status().isOk());
    }

    @Test
    void saysWhatIsWrongWithTheForm() throws Exception {
        mvc.perform(setup("admin", ConsoleAccounts.PASSWORD, ConsoleAccounts.PASSWORD + "x"))
                .andExpect(status().isOk()).andExpect(content().string(Matchers.containsString("The two passwords differ")));
        mvc.perform(setup("admin", "too short", "too short"))
                .andExpect(status().isOk()).andExpect(content().string(Matchers.containsString("at least 12")));
        mvc.perform(setup("admin user", ConsoleAccounts.PASSWORD, ConsoleAccounts.PASSWORD))
                .andExpect(status().isOk()).andExpect(content().string(Matchers.containsString("A username has")));

        assertThat(operators.list()).noneMatch(operator -> operator.role() == Role.ADMIN);
    }

    private static MockHttpServletRequestBuilder setup(String username, String password, String repeated) {
        return post("/console/setup").with(csrf())
                .param("username", username).param("password", password).param("repeated", repeated);
    }

    private static org.springframework.test.web.servlet.request.RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }
}
