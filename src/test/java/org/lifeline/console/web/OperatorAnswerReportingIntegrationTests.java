package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.lifeline.telegram.FakeTelegramBotApi;
import org.lifeline.telegram.PrivateChatUpdates;
import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.testing.ManualClock;
import org.lifeline.operators.OperatorAdministration;
import org.lifeline.operators.Role;
import org.lifeline.reporting.Report;
import org.lifeline.reporting.ReportFilter;
import org.lifeline.reporting.Reports;
import org.lifeline.testing.ConsoleTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The whole way of a figure: a soldier writes to the Telegram bot, an operator answers him twice from the console,
 * and the reports count one first answer on Telegram and the messages that left, from events alone.
 */
@ConsoleTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class OperatorAnswerReportingIntegrationTests {

    static final String BOT = "lifeline_reports_bot";
    static final String TOKEN = "7000000018:AAreportstokenreportstokenreports";
    static final String SECRET = "reports-webhook-secret_0123456789";
    static final FakeTelegramBotApi telegram = FakeTelegramBotApi.startQuick(TOKEN);
    static final long CHAT = 810_000_000L + (System.nanoTime() % 100_000_000L);

    @DynamicPropertySource
    static void telegramProperties(DynamicPropertyRegistry registry) {
        telegram.register(registry, BOT, SECRET);
    }

    @AfterAll
    static void stop() {
        telegram.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    MockMvc mvc;

    @Autowired
    OperatorAdministration administration;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    Reports reports;

    @Autowired
    ManualClock clock;

    @Test
    void theFirstAnswerFromTheConsoleIsTimedOnceAndWhatLeftIsCounted() throws Exception {
        var before = today();
        var response = HttpClient.newHttpClient().send(FakeTelegramBotApi.webhookDelivery(port, BOT, SECRET,
                new PrivateChatUpdates(CHAT, "Иван", "ru").text("/start").toString()), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        var conversation = await().atMost(Duration.ofSeconds(20)).until(() -> conversations
                .findContact("telegram", Long.toString(CHAT)).flatMap(conversations::latestConversation),
                Optional::isPresent).orElseThrow();
        assertThat(started(today()) - started(before)).as("the request started").isEqualTo(1);

        var accounts = new ConsoleAccounts(mvc, administration, clock);
        var session = accounts.signIn(accounts.create(Role.OPERATOR));
        clock.advance(Duration.ofMinutes(3));
        reply(session, conversation, "Мы здесь. Напишите, когда сможете.");
        reply(session, conversation, "Вы получили наше сообщение?");

        var after = today();
        assertThat(after.delays().overall().answers() - before.delays().overall().answers())
                .as("one first answer, however many replies").isEqualTo(1);
        assertThat(after.delays().byChannel()).anySatisfy(d -> assertThat(d.label()).isEqualTo("telegram"));

        // the outbox keeps each chat's pace by the application's clock, which moves here only when told
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            clock.advance(Duration.ofSeconds(1));
            return telegram.delivered().stream()
                    .anyMatch(c -> c.body().path("text").asString().contains("Вы получили наше сообщение?"));
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(today()) - delivered(before) >= 2);
    }

    @Test
    void aLanguageTheServiceIsNotHeldInIsCountedAsOther() throws Exception {
        var chat = CHAT + 1;
        var response = HttpClient.newHttpClient().send(FakeTelegramBotApi.webhookDelivery(port, BOT, SECRET,
                new PrivateChatUpdates(chat, "Ахмед", "ce").text("/start").toString()), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> conversations.findContact("telegram", Long.toString(chat))
                .flatMap(conversations::latestConversation).isPresent());
        var languages = today().breakdowns().stream()
                .filter(b -> b.dimension().equals("language") && b.period().equals("day")).findFirst().orElseThrow();
        assertThat(languages.values()).as("a Chechen phone among the others").contains("other")
                .doesNotContain("ce");
    }

    private void reply(MockHttpSession session, ConversationId conversation,
            String text) throws Exception {
        mvc.perform(post("/console/conversations/" + conversation.value() + "/replies").session(session)
                .with(csrf()).param("text", text).param("anyway", "true")).andExpect(status().is3xxRedirection());
    }

    private Report today() {
        var day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return reports.report(new ReportFilter(day.minusDays(1), day.plusDays(1), "telegram", null, null, null),
                Map.of());
    }

    private static long started(Report report) {
        return report.funnels().getFirst().started();
    }

    private static long delivered(Report report) {
        return report.delivery().stream().filter(d -> d.channel().equals("telegram"))
                .mapToLong(Report.Delivery::delivered).sum();
    }
}
