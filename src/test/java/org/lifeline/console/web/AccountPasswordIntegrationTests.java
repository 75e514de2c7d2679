package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.cookie;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.regex.Pattern;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.lifeline.operators.Role;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.testing.ConsoleTest;
import org.springframework.mock.web.MockHttpSession;

/**
 * Every operator changes his own password, giving his current one; an account an admin created (with a password
 * the admin chose and knows) is shown nothing but that page until its operator has chosen his own.
 */
@ConsoleTest
class AccountPasswordIntegrationTests extends ConsoleFixture {

    private static final String PAGE = "/console/account/password";
    private static final String NEW_PASSWORD = "another long enough password";
    private static final Pattern SECRET = Pattern.compile("<code class=\"secret\">([A-Z2-7]+)</code>");

    @Test
    void anOperatorChangesHisPasswordHereAndHisOtherSessionsEnd() throws Exception {
        var operator = accounts.create(Role.OPERATOR);
        var here = accounts.signIn(operator);
        var elsewhere = accounts.signIn(operator);
        mvc.perform(get(PAGE).session(here)).andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Зміна пароля")));

        mvc.perform(change(here, ConsoleAccounts.PASSWORD, NEW_PASSWORD, NEW_PASSWORD))
                .andExpect(redirectedUrl(PAGE)).andExpect(flash().attribute("notice", Matchers.startsWith("Пароль змінено.")))
                // the change voided the account's known browsers: this one is known again
                .andExpect(cookie().exists(SignInController.DEVICE_COOKIE));

        mvc.perform(get("/console").session(here)).andExpect(status().isOk());
        mvc.perform(get("/console").session(elsewhere)).andExpect(redirectedUrl("/console/login"));
        mvc.perform(post("/console/login").with(csrf()).param("username", operator.username())
                .param("password", ConsoleAccounts.PASSWORD)).andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Sign-in failed")));
        mvc.perform(post("/console/login").with(csrf()).param("username", operator.username())
                .param("password", NEW_PASSWORD)).andExpect(redirectedUrl("/console/login/code"));
        assertThat(access.latest(10)).anySatisfy(entry -> {
            assertThat(entry.actor()).isEqualTo(operator.id().value());
            assertThat(entry.action()).isEqualTo("account.password");
            assertThat(entry.outcome()).isEqualTo(AccessRecord.Outcome.SUCCEEDED);
        });
    }

    @Test
    void refusesAWrongCurrentPasswordTwoThatDifferAndAWeakOneChangingNothing() throws Exception {
        var operator = accounts.create(Role.COORDINATOR);
        var session = accounts.signIn(operator);

        mvc.perform(change(session, "not the password at all", NEW_PASSWORD, NEW_PASSWORD))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(Matchers.containsString("Це не ваш поточний пароль.")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("not the password at all"))));
        mvc.perform(change(session, ConsoleAccounts.PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(Matchers.containsString("Паролі не збігаються.")));
        mvc.perform(change(session, ConsoleAccounts.PASSWORD, "short", "short"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(Matchers.containsString("щонайменше 12")));
        for (var same : new String[] {ConsoleAccounts.PASSWORD, ConsoleAccounts.PASSWORD + "!",
                ConsoleAccounts.PASSWORD.substring(0, 16)}) {
            mvc.perform(change(session, ConsoleAccounts.PASSWORD, same, same))
                    .andExpect(status().isUnprocessableContent())
                    .andExpect(content().string(Matchers.containsString("не може бути поточним")));
        }

        assertThat(access.latest(10)).anySatisfy(entry -> {
            assertThat(entry.actor()).isEqualTo(operator.id().value());
            assertThat(entry.action()).isEqualTo("account.password");
            assertThat(entry.outcome()).isEqualTo(AccessRecord.Outcome.FAILED);
        });
        mvc.perform(get("/console").session(session)).andExpect(status().isOk());
        assertThat(accounts.signIn(operator)).as("the password is what it was").isNotNull();
    }

    /** A stolen session guesses the current password: a few tries, then the account is locked, as for codes. */
    @Test
    void wrongCurrentPasswordsLockTheChangeAsWrongCodesLockTheSignIn() throws Exception {
        var operator = accounts.create(Role.OPERATOR);
        var session = accounts.signIn(operator);
        for (var i = 1; i <= 5; i++) {
            mvc.perform(change(session, "wrong guess number " + i, NEW_PASSWORD, NEW_PASSWORD))
                    .andExpect(status().isUnprocessableContent())
                    .andExpect(content().string(Matchers.containsString("Це не ваш поточний пароль.")));
        }

        mvc.perform(change(session, ConsoleAccounts.PASSWORD, NEW_PASSWORD, NEW_PASSWORD))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().string(Matchers.containsString("Забагато неправильних паролів")));
        clock.advance(java.time.Duration.ofSeconds(30));
        mvc.perform(change(session, ConsoleAccounts.PASSWORD, NEW_PASSWORD, NEW_PASSWORD))
                .andExpect(redirectedUrl(PAGE));
    }

    @Test
    void anAccountAnAdminCreatedChoosesItsOwnPasswordBeforeAnythingElse() throws Exception {
        var created = administration.create(ConsoleAccounts.uniqueName("newcomer"), Role.OPERATOR, ConsoleAccounts.PASSWORD);
        var session = new MockHttpSession();
        mvc.perform(post("/console/login").session(session).with(csrf()).param("username", created.username())
                .param("password", ConsoleAccounts.PASSWORD)).andExpect(redirectedUrl("/console/login/enrol"));
        var enrolPage = mvc.perform(get("/console/login/enrol").session(session)).andReturn().getResponse()
                .getContentAsString();
        var secret = SECRET.matcher(enrolPage);
        assertThat(secret.find()).as("the secret on the enrolment page").isTrue();
        mvc.perform(post("/console/login/enrol").session(session).with(csrf())
                .param("code", accounts.nextCode(secret.group(1)))).andExpect(redirectedUrl("/console"));

        for (var path : new String[] {"/console", "/console/duty", "/console/events"}) {
            mvc.perform(get(path).session(session)).andExpect(status().isSeeOther())
                    .andExpect(header().string("Location", PAGE));
        }
        mvc.perform(post("/console/duty").session(session).with(csrf()).param("onDuty", "true"))
                .andExpect(status().isSeeOther()).andExpect(header().string("Location", PAGE));
        mvc.perform(get(PAGE).session(session)).andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("вибрав адміністратор")));

        var changed = mvc.perform(change(session, ConsoleAccounts.PASSWORD, NEW_PASSWORD, NEW_PASSWORD))
                .andExpect(redirectedUrl(PAGE)).andReturn().getFlashMap();
        mvc.perform(get(PAGE).session(session).flashAttrs(changed)).andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Пароль змінено.")))
                .andExpect(content().string(Matchers.containsString("До консолі")))
                .andExpect(content().string(Matchers.not(Matchers.containsString("вибрав адміністратор"))));

        mvc.perform(get("/console").session(session)).andExpect(status().isOk());
    }

    private static org.springframework.test.web.servlet.RequestBuilder change(MockHttpSession session, String current,
            String password, String repeat) {
        return post(PAGE).session(session).with(csrf()).param("current", current).param("password", password)
                .param("repeat", repeat);
    }
}
