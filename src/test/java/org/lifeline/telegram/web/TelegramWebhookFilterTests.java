package org.lifeline.telegram.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.lifeline.telegram.TelegramIntake;
import org.lifeline.telegram.TelegramSettings;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * What Telegram is told when the update cannot be stored (try again later, so nothing is lost), and what the
 * webhook leaves to the rest of the application. The statuses of stored, refused and malformed updates are checked
 * end to end in {@code TelegramChannelIntegrationTests}.
 */
class TelegramWebhookFilterTests {

    private final TelegramIntake intake = mock(TelegramIntake.class);
    private final TelegramWebhookFilter filter = new TelegramWebhookFilter(intake);

    @Test
    void answersServiceUnavailableWhenTheDatabaseIsAway() throws Exception {
        var response = failingWith(new DataAccessResourceFailureException("down"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentAsByteArray()).isEmpty();
    }

    @Test
    void answersAnUnexpectedFailureWithAnEmptyServerError() throws Exception {
        var response = failingWith(new IllegalStateException("lifeline_test_bot"));

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getContentAsByteArray()).isEmpty();
    }

    @Test
    void refusesEveryOtherMethodWithoutTouchingTheIntake() throws Exception {
        for (var method : new String[] {"GET", "PUT", "DELETE", "HEAD"}) {
            var response = new MockHttpServletResponse();
            var chain = new MockFilterChain();
            filter.doFilter(new MockHttpServletRequest(method, "/webhooks/telegram/lifeline_test_bot"), response, chain);

            assertThat(response.getStatus()).as(method).isEqualTo(405);
            assertThat(response.getHeader("Allow")).isEqualTo("POST");
            assertThat(chain.getRequest()).as("not passed on").isNull();
        }
    }

    @Test
    void passesOtherPathsOn() throws Exception {
        var chain = new MockFilterChain();
        filter.doFilter(new MockHttpServletRequest("POST", "/webhooks/whatsapp"), new MockHttpServletResponse(), chain);

        assertThat(chain.getRequest()).isNotNull();
    }

    @Test
    void answersAPressWithTheBotApiRequestTheIntakeGaveAsJson() throws Exception {
        var request = "{\"method\":\"answerCallbackQuery\",\"callback_query_id\":\"4382bfdwdsb323b2d9\"}";
        for (var result : new TelegramIntake.Result[] {TelegramIntake.Result.STORED, TelegramIntake.Result.DUPLICATE}) {
            var response = delivering(new TelegramIntake.Delivery(result, request));

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getContentType()).startsWith("application/json");
            assertThat(response.getContentAsString(StandardCharsets.UTF_8)).isEqualTo(request);
        }
        var text = delivering(new TelegramIntake.Delivery(TelegramIntake.Result.STORED, null));
        assertThat(text.getStatus()).isEqualTo(200);
        assertThat(text.getContentAsByteArray()).isEmpty();
    }

    /** A delivery to a bot's webhook that the intake takes as {@code delivery}. */
    private MockHttpServletResponse delivering(TelegramIntake.Delivery delivery) throws Exception {
        authorise();
        when(intake.webhook(any(TelegramSettings.Bot.class), any())).thenReturn(delivery);
        return deliver();
    }

    /** A delivery to a bot's webhook while the intake fails with {@code failure}. */
    private MockHttpServletResponse failingWith(RuntimeException failure) throws Exception {
        authorise();
        when(intake.webhook(any(TelegramSettings.Bot.class), any())).thenThrow(failure);
        return deliver();
    }

    private void authorise() {
        var bot = new TelegramSettings.Bot("lifeline_test_bot", "1:token", "s3cret-webhook-token_0123456789",
                TelegramSettings.Mode.WEBHOOK);
        when(intake.authorised("lifeline_test_bot", bot.webhookSecret())).thenReturn(java.util.Optional.of(bot));
    }

    private MockHttpServletResponse deliver() throws Exception {
        var request = new MockHttpServletRequest("POST", "/webhooks/telegram/lifeline_test_bot");
        request.addHeader(TelegramWebhookFilter.SECRET_HEADER, "s3cret-webhook-token_0123456789");
        request.setContent("{\"update_id\":1,\"message\":{}}".getBytes(StandardCharsets.UTF_8));
        var response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
