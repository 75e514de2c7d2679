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
    void aForgottenPasswordIsReplacedByATemporaryOneTheAccountMustChangeFirst() throws Exception {
        var operator = accounts.create(Role.OPERATOR);
        var theirs = accounts.signIn(operator);
        var temporary = "a temporary password from the admin";

        mvc.perform(post("/console/users/password").session(session).with(csrf())
                        .param("id", operator.id().value().toString()).param("password", temporary))
                .andExpect(redirectedUrl("/console/users"))
                .andExpect(flash().attribute("notice", Matchers.startsWith("Для " + operator.username() + " установлено")));

        assertThat(access.latest(1).getFirst()).satisfies(entry -> {
            assertThat(entry.actor()).isEqualTo(admin.id().value());
            assertThat(entry.action()).isEqualTo("users.set-password");
            assertThat(entry.subject()).isEqualTo(operator.id().toString());
        });
        // signed out everywhere, and the forgotten password no longer works
        mvc.perform(get("/console").session(theirs)).andExpect(redirectedUrl("/console/login"));
        mvc.perform(post("/console/login").with(csrf()).param("username", operator.username())
                .param("password", ConsoleAccounts.PASSWORD)).andExpect(status().isOk());
        // the second factor is kept: the admin who knows the password still cannot sign in as the account
        var next = new MockHttpSession();
        mvc.perform(post("/console/login").session(next).with(csrf()).param("username", operator.username())
                .param("password", temporary)).andExpect(redirectedUrl("/console/login/code"));
        assertThat(operators.find(operator.id()).orElseThrow().enrolled()).isTrue();
        mvc.perform(post("/console/login/code").session(next).with(csrf())
                .param("code", accounts.nextCode(operator.secret()))).andExpect(redirectedUrl("/console"));
        // its own password before anything else
        mvc.perform(get("/console/cases").session(next))
                .andExpect(status().isSeeOther()).andExpect(redirectedUrl("/console/account/password"));
    }

    @Test
    void aTemporaryPasswordIsRefusedForTheAdminHimselfAndWhenTooWeak() throws Exception {
        var operator = accounts.create(Role.OPERATOR);

        mvc.perform(post("/console/users/password").session(session).with(csrf())
                        .param("id", admin.id().value().toString()).param("password", "an admin's own new password"))
                .andExpect(flash().attribute("problem", Matchers.startsWith("Власний пароль змініть")));
        mvc.perform(post("/console/users/password").session(session).with(csrf())
                        .param("id", operator.id().value().toString()).param("password", "short"))
                .andExpect(flash().attribute("problem", Matchers.containsString("щонайменше 12 символів")));
        mvc.perform(post("/console/users/password").session(session).with(csrf())
                        .param("id", operator.id().value().toString()).param("password", operator.username()))
                .andExpect(flash().attribute("problem", Matchers.notNullValue()));
        mvc.perform(post("/console/users/password").session(session).with(csrf())
                        .param("id", java.util.UUID.randomUUID().toString()).param("password", "a long enough one, really"))
                .andExpect(flash().attribute("problem", "Такого оператора немає."));

        // nothing changed: both still sign in with what they had
        assertThat(accounts.signIn(admin)).isNotNull();
        assertThat(accounts.signIn(operator)).isNotNull();
        mvc.perform(get("/console/users").session(session)).andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("<option value=\"" + operator.id().value() + "\"")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("<option value=\"" + admin.id().value() + "\""))));
    }

    @Test
    void oneAdminNeverHoldsBothTheTemporaryPasswordAndTheSecondFactorsEnrolment() throws Exception {
        var lostPhone = accounts.create(Role.OPERATOR);
        mvc.perform(post("/console/users/{id}/second-factor-reset", lostPhone.id().value()).session(session).with(csrf()))
                .andExpect(flash().attribute("notice", Matchers.notNullValue()));
        // its second factor is to be set up again: whoever chose its password could set it up for himself
        mvc.perform(post("/console/users/password").session(session).with(csrf())
                        .param("id", lostPhone.id().value().toString()).param("password", "a temporary password from the admin"))
                .andExpect(flash().attribute("problem", Matchers.startsWith("Другий фактор облікового запису не налаштовано")));
        mvc.perform(post("/console/login").with(csrf()).param("username", lostPhone.username())
                .param("password", ConsoleAccounts.PASSWORD)).andExpect(redirectedUrl("/console/login/enrol"));
        mvc.perform(get("/console/users").session(session)).andExpect(status().isOk())
                .andExpect(content().string(Matchers.not(Matchers.containsString("<option value=\"" + lostPhone.id().value() + "\""))));

        var forgotten = accounts.create(Role.OPERATOR);
        mvc.perform(post("/console/users/password").session(session).with(csrf())
                        .param("id", forgotten.id().value().toString()).param("password", "a temporary password from the admin"))
                .andExpect(flash().attribute("notice", Matchers.notNullValue()));
        // and while the temporary password stands, the second factor stays
        mvc.perform(post("/console/users/{id}/second-factor-reset", forgotten.id().value()).session(session).with(csrf()))
                .andExpect(flash().attribute("problem", Matchers.startsWith("Обліковий запис має тимчасовий пароль")));
        assertThat(operators.find(forgotten.id()).orElseThrow().enrolled()).isTrue();
        assertThat(access.latest(1).getFirst().action()).isEqualTo("users.set-password");
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
