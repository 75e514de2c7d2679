package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.Role;
import org.lifeline.platform.BackupSettings;
import org.lifeline.platform.EmbeddedBackups;
import org.lifeline.testing.DatabaseAvailability;
import org.lifeline.testing.ManualClock;
import org.lifeline.testing.ManualClockConfiguration;
import org.lifeline.testing.MockMvcSessionCookies;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Admins see on the users page how the embedded database's backups stand: none yet, the newest and where they are
 * kept, one older than planned, a failed attempt and why. On PostgreSQL there is nothing of the kind to show.
 */
@SpringBootTest(properties = {"lifeline.backup.every=1d", "lifeline.backup.directory=target/test-backups/${random.uuid}",
        "spring.datasource.hikari.maximum-pool-size=5"})
@AutoConfigureMockMvc
@Import({ManualClockConfiguration.class, MockMvcSessionCookies.class})
@Tag("integration")
@ExtendWith(DatabaseAvailability.class)
class BackupsConsoleIntegrationTests {

    @Autowired
    MockMvc mvc;
    @Autowired
    OperatorAdministration administration;
    @Autowired
    ManualClock clock;
    @Autowired
    EmbeddedBackups backups;
    @Autowired
    BackupSettings settings;

    @Test
    void theUsersPageTellsAdminsHowTheBackupsStand() throws Exception {
        var accounts = new ConsoleAccounts(mvc, administration, clock);
        var admin = accounts.create(Role.ADMIN);
        if (DatabaseAvailability.onPostgres()) {
            assertThat(backups.backUpIfDue()).isEmpty();
            assertThat(page(accounts.signIn(admin))).doesNotContain("class=\"notice backups\"", "class=\"problem backups\"");
            return;
        }
        assertThat(page(accounts.signIn(admin))).contains("Резервних копій вбудованої бази даних ще немає");

        var written = backups.backUpIfDue().orElseThrow();
        assertThat(page(accounts.signIn(admin))).contains("Найновіша резервна копія вбудованої бази даних: "
                + backups.status().orElseThrow().newest() + "; зберігається копій: 1, у " + settings.directory());

        clock.advance(Duration.ofDays(1).plusMinutes(21));
        assertThat(page(accounts.signIn(admin))).contains("старіша, ніж заплановано");

        // the directory's place taken by a file: the attempt fails, and says how
        Files.delete(written);
        Files.delete(settings.directory());
        Files.writeString(settings.directory(), "in the way");
        try {
            assertThatThrownBy(backups::backUpIfDue).isNotNull();
            assertThat(page(accounts.signIn(admin))).contains("Остання спроба зробити резервну копію вбудованої бази"
                    + " даних не вдалася (NotDirectoryException); найновіша копія: немає");
        } finally {
            Files.delete(settings.directory());
        }
        assertThat(backups.backUpIfDue()).isPresent();
        assertThat(page(accounts.signIn(admin))).contains("Найновіша резервна копія").doesNotContain("не вдалася");
    }

    private String page(MockHttpSession session) throws Exception {
        return mvc.perform(get("/console/users").session(session)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }
}
