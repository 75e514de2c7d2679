package org.lifeline.whatsapp.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.lifeline.whatsapp.WhatsAppIntake;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** What Meta is told when a delivery cannot be stored: try again later, so nothing is lost. */
class WhatsAppWebhookControllerTests {

    @Test
    void answersServiceUnavailableWhenTheDatabaseIsAway() throws Exception {
        var intake = mock(WhatsAppIntake.class);
        when(intake.webhook(anyString(), any())).thenThrow(new DataAccessResourceFailureException("down"));
        var mvc = MockMvcBuilders.standaloneSetup(new WhatsAppWebhookController(intake)).build();

        mvc.perform(post("/webhooks/whatsapp")
                        .header(WhatsAppWebhookController.SIGNATURE_HEADER, "sha256=00")
                        .content("{\"object\":\"whatsapp_business_account\",\"entry\":[]}"))
                .andExpect(status().isServiceUnavailable());
    }
}
