package org.lifeline.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

/**
 * The one application context for tests of accounts and the console: the whole application on a random port, with
 * MockMvc and a {@code ManualClock}. Every class so annotated shares it. Runs on H2, then again on PostgreSQL.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
// a small pool: PostgreSQL has connections for a hundred clients, shared with the other test runs on the machine
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.datasource.hikari.maximum-pool-size=5",
                // the node's budget of failed sign-ins is tested in a context of its own (SignInFloodIntegrationTests)
                "lifeline.operators.password-failures-per-minute=1000000",
                // one official channel, so that a campaign has an entry point whose QR code the console draws
                "lifeline.site.telegram-bots=@lifeline_console_bot"})
@AutoConfigureMockMvc
@Import({ManualClockConfiguration.class, MockMvcSessionCookies.class})
@Tag("integration")
@ExtendWith(DatabaseAvailability.class)
public @interface ConsoleTest {
}
