package org.lifeline.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.lifeline.channels.DeliveryResult;
import tools.jackson.databind.json.JsonMapper;

/** The adapter's pure parts: the documented error codes and shortened titles. */
class WhatsAppAdapterTests {

    private static final JsonMapper json = JsonMapper.builder().build();

    private static DeliveryResult answer(int status, int code) {
        var body = code == 0 ? json.readTree("{}")
                : json.readTree("{\"error\":{\"message\":\"(#" + code + ") x\",\"type\":\"OAuthException\",\"code\":" + code
                        + ",\"fbtrace_id\":\"A\"}}");
        return WhatsAppAdapter.failure(new WhatsAppGraphApi.Answer(status, body));
    }

    @Test
    void retriesRateLimitsAndTemporaryFaultsLater() {
        assertThat(answer(429, 130429)).isEqualTo(new DeliveryResult.RetryLater(null, true, "whatsapp.130429"));
        assertThat(answer(400, 131056)).isEqualTo(new DeliveryResult.RetryLater(null, false, "whatsapp.131056"));
        assertThat(answer(400, 131048)).isEqualTo(new DeliveryResult.RetryLater(Duration.ofMinutes(1), true, "whatsapp.131048"));
        assertThat(answer(500, 131000)).isEqualTo(new DeliveryResult.RetryLater(null, false, "whatsapp.131000"));
        assertThat(answer(503, 0)).isEqualTo(new DeliveryResult.RetryLater(null, false, "whatsapp.http-503"));
        assertThat(answer(502, 12345)).isInstanceOf(DeliveryResult.RetryLater.class);
        assertThat(answer(401, 190)).isEqualTo(new DeliveryResult.RetryLater(Duration.ofMinutes(1), true, "whatsapp.190"));
    }

    @Test
    void failsForGoodWhatCannotBeDelivered() {
        assertThat(answer(400, 131026)).isEqualTo(new DeliveryResult.Failed("whatsapp.131026", true));
        assertThat(answer(400, 131051)).isEqualTo(new DeliveryResult.Failed("whatsapp.131051", false));
        assertThat(answer(400, 100)).isEqualTo(new DeliveryResult.Failed("whatsapp.100", false));
        assertThat(answer(400, 132001)).isEqualTo(new DeliveryResult.Failed("whatsapp.132001", false));
        assertThat(answer(404, 0)).isEqualTo(new DeliveryResult.Failed("whatsapp.http-404", false));
    }

    @Test
    void shortensTitlesAtAWordBoundaryWithAnEllipsis() {
        assertThat(WhatsAppAdapter.shorten("Сдаться в плен", 24)).isEqualTo("Сдаться в плен");
        assertThat(WhatsAppAdapter.shorten("Что будет со мной в плену и после него", 24))
                .isEqualTo("Что будет со мной в…").hasSizeLessThanOrEqualTo(24);
        assertThat(WhatsAppAdapter.shorten("Непрерывноедлинноесловобезпробелов", 24)).hasSize(24).endsWith("…");
    }
}
