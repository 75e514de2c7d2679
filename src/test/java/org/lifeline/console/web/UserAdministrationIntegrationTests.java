package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lifeline.operators.OperatorManagement;
import org.lifeline.operators.Role;
import org.lifeline.testing.ConsoleTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;

@ConsoleTest
class UserAdministrationIntegrationTests extends ConsoleFixture {

    @Autowired
    OperatorManagement operators;

    private ConsoleAccounts.Account admin;
    private MockHttpSession session;

    @BeforeEach
    void signInAsAdmin() throws Exception {
        admin = accounts.create(Role.ADMIN);
        session = accounts.signIn(admin);
    }

    @Test
    void listsAccountsWithTheRoleMatrix() throws Exception {
        var coordinator = accounts.create(Role.COORDINATOR);

        mvc.perform(get("/console/users").session(session)).andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString(coordinator.username())))
                .andExpect(content().string(Matchers.containsString("PLAN_HANDOVER")));
    }

    @Test
    void createsAnAccountThatEnrolsAtFirstSignIn() throws Exception {
        var name = ConsoleAccounts.uniqueName("newcomer");

        mvc.perform(post("/console/users").session(session).with(csrf())
                        .param("username", name).param("role", "COORDINATOR").param("password", ConsoleAccounts.PASSWORD))
                .andExpect(redirectedUrl("/console/users"))
                .andExpect(flash().attribute("notice", Matchers.startsWith("Створено " + name)));

        var created = operators.list().stream().filter(operator -> operator.username().equals(name)).findFirst().orElseThrow();
        assertThat(created.role()).isEqualTo(Role.COORDINATOR);
        assertThat(created.enrolled()).isFalse();
        assertThat(access.latest(1).getFirst()).satisfies(entry -> {
            assertThat(entry.actor()).isEqualTo(admin.id().value());
            assertThat(entry.action()).isEqualTo("users.create");
            assertThat(entry.subject()).isEqualTo(created.id().toString());
        });
        mvc.perform(post("/console/login").with(csrf()).param("username", name).param("password", ConsoleAccounts.PASSWORD))
                .andExpect(redirectedUrl("/console/login/enrol"));
    }

    @Test
    void saysWhyAnAccountCannotBeCreated() throws Exception {
        var existing = accounts.create(Role.OPERATOR);

        mvc.perform(post("/console/users").session(session).with(csrf())
                        .param("username", existing.username()).param("role", "OPERATOR").param("password", ConsoleAccounts.PASSWORD))
                .andExpect(flash().attribute("problem", "Оператор з іменем " + existing.username() + " уже існує."));
        mvc.perform(post("/console/users").session(session).with(csrf())
                        .param("username", "weak-one").param("role", "OPERATOR").param("password", "short"))
                .andExpect(flash().attribute("problem", Matchers.containsString("щонайменше 12 символів")));
        mvc.perform(post("/console/users").session(session).with(csrf())
                        .param("username", "odd-role").param("role", "KING").param("password", ConsoleAccounts.PASSWORD))
                .andExpect(status().isBadRequest());
    }

    @Test
    void disablingAnAccountSignsItOutAndKeepsItOut() throws Exception {
        var operator = accounts.create(Role.OPERATOR);
        var theirs = accounts.signIn(operator);

        mvc.perform(post("/console/users/{id}/enabled", operator.id().value()).session(session).with(csrf())
                .param("enabled", "false")).andExpect(redirectedUrl("/console/users"));

        mvc.perform(get("/console").session(theirs)).andExpect(redirectedUrl("/console/login"));
        mvc.perform(post("/console/login").with(csrf()).param("username", operator.username())
                .param("password", ConsoleAccounts.PASSWORD)).andExpect(status().isOk());

        mvc.perform(post("/console/users/{id}/enabled", operator.id().value()).session(session).with(csrf())
                .param("enabled", "true")).andExpect(redirectedUrl("/console/users"));
        assertThat(accounts.signIn(operator)).isNotNull();
    }

    @Test
    void changingARoleChangesWhatTheAccountMayOpen() throws Exception {
        var supervisor = accounts.create(Role.SUPERVISOR);
        mvc.perform(get("/console/users").session(accounts.signIn(supervisor))).andExpect(status().isForbidden());

        mvc.perform(post("/console/users/{id}/role", supervisor.id().value()).session(session).with(csrf())
                .param("role", "ADMIN")).andExpect(redirectedUrl("/console/users"));

        assertThat(operators.find(supervisor.id()).orElseThrow().role()).isEqualTo(Role.ADMIN);
        mvc.perform(get("/console/users").session(accounts.signIn(supervisor))).andExpect(status().isOk());
    }

    @Test
    void resettingTheSecondFactorMakesTheAccountEnrolAgain() throws Exception {
        var operator = accounts.create(Role.OPERATOR);

        mvc.perform(post("/console/users/{id}/second-factor-reset", operator.id().value()).session(session).with(csrf()))
                .andExpect(redirectedUrl("/console/users"));

        mvc.perform(post("/console/login").with(csrf()).param("username", operator.username())
                .param("password", ConsoleAccounts.PASSWORD)).andExpect(redirectedUrl("/console/login/enrol"));
        assertThat(operators.find(operator.id()).orElseThrow().enrolled()).isFalse();
    }

    @Test
    void anAdminCannotLockThemselvesOut() throws Exception {
        mvc.perform(post("/console/users/{id}/enabled", admin.id().value()).session(session).with(csrf())
                .param("enabled", "false")).andExpect(flash().attribute("problem", "Не можна вимкнути власний обліковий запис."));
        mvc.perform(post("/console/users/{id}/role", admin.id().value()).session(session).with(csrf())
                .param("role", "OPERATOR")).andExpect(flash().attribute("problem", "Не можна змінити власну роль."));

        assertThat(operators.find(admin.id()).orElseThrow()).satisfies(account -> {
            assertThat(account.enabled()).isTrue();
            assertThat(account.role()).isEqualTo(Role.ADMIN);
        });
        mvc.perform(get("/console/users").session(session)).andExpect(status().isOk());
    }

    @Test
    void unknownAccountsAreReportedNotCreated() throws Exception {
        mvc.perform(post("/console/users/{id}/enabled", java.util.UUID.randomUUID()).session(session).with(csrf())
                .param("enabled", "true")).andExpect(flash().attribute("problem", "Такого оператора немає."));
        mvc.perform(post("/console/users/not-an-id/enabled").session(session).with(csrf())
                .param("enabled", "true")).andExpect(status().isBadRequest());
    }
}
