package org.lifeline.telegram.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.lifeline.telegram.TelegramIntake;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** What Telegram is told when the update cannot be stored: try again later, so nothing is lost. */
class TelegramWebhookControllerTests {

    @Test
    void answersServiceUnavailableWhenTheDatabaseIsAway() throws Exception {
        var intake = mock(TelegramIntake.class);
        when(intake.webhook(anyString(), anyString(), any())).thenThrow(new DataAccessResourceFailureException("down"));
        var mvc = MockMvcBuilders.standaloneSetup(new TelegramWebhookController(intake)).build();

        mvc.perform(post("/webhooks/telegram/lifeline_test_bot")
                        .header(TelegramWebhookController.SECRET_HEADER, "s3cret-webhook-token_0123456789")
                        .content("{\"update_id\":1,\"message\":{}}"))
                .andExpect(status().isServiceUnavailable());
    }
}
