package org.lifeline.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.lifeline.channels.DeliveryResult;
import org.lifeline.channels.OutboundContent;
import tools.jackson.databind.json.JsonMapper;

/** The adapter's pure parts: the documented error codes, shortened titles and the parts a long content goes as. */
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

    private static final List<OutboundContent.Choice> YES_NO = List.of(new OutboundContent.Choice("yes", "Да"),
            new OutboundContent.Choice("no", "Нет"));

    @SuppressWarnings("unchecked")
    private static List<String> titles(Map<String, Object> message) {
        var interactive = (Map<String, Object>) message.get("interactive");
        var action = (Map<String, Object>) interactive.get("action");
        if ("button".equals(interactive.get("type"))) {
            return ((List<Map<String, Map<String, String>>>) action.get("buttons")).stream()
                    .map(b -> b.get("reply").get("title")).toList();
        }
        var sections = (List<Map<String, List<Map<String, String>>>>) action.get("sections");
        return sections.getFirst().get("rows").stream().map(r -> r.get("title")).toList();
    }

    @Test
    void choicesWhoseTitlesWouldRepeatGoNumberedNeverAsRepeatedTitles() {
        // buttons must have titles unique in the message, and list titles alike could not be told apart: numbered...
        var alike = new OutboundContent.Choices("Когда?", List.of(new OutboundContent.Choice("now", "Сейчас"),
                new OutboundContent.Choice("later", "Позже"), new OutboundContent.Choice("later2", "позже ")));
        var message = WhatsAppAdapter.message("1", alike, "ru");
        assertThat(message.get("type")).isEqualTo("text");
        assertThat(((Map<?, ?>) message.get("text")).get("body")).isEqualTo("Когда?\n\n1. Сейчас\n2. Позже\n3. позже");

        // ...and long labels that shorten to one list title go numbered, whole
        var shortenedAlike = new OutboundContent.Choices("Когда?", List.of(
                new OutboundContent.Choice("now", "Я хочу сдаться в плен сейчас"),
                new OutboundContent.Choice("later", "Я хочу сдаться в плен позже")));
        message = WhatsAppAdapter.message("1", shortenedAlike, "ru");
        assertThat(message.get("type")).isEqualTo("text");
        assertThat(((Map<?, ?>) message.get("text")).get("body"))
                .isEqualTo("Когда?\n\n1. Я хочу сдаться в плен сейчас\n2. Я хочу сдаться в плен позже");

        // labels too long for buttons but distinct as list titles go as a list; distinct short ones as buttons
        var longDistinct = new OutboundContent.Choices("Когда?", List.of(
                new OutboundContent.Choice("now", "Сейчас, как можно скорее, пока тихо"),
                new OutboundContent.Choice("later", "Позже, когда стемнеет")));
        assertThat(titles(WhatsAppAdapter.message("1", longDistinct, "ru")))
                .containsExactly("Сейчас, как можно…", "Позже, когда стемнеет");
        assertThat(titles(WhatsAppAdapter.message("1", new OutboundContent.Choices("Вы в безопасности?", YES_NO), "ru")))
                .containsExactly("Да", "Нет");
    }

    @Test
    void aChoiceWithABlankLabelGoesNumbered() {
        var blank = new OutboundContent.Choices("Когда?", List.of(new OutboundContent.Choice("now", "Сейчас"),
                new OutboundContent.Choice("later", " ")));
        assertThat(WhatsAppAdapter.message("1", blank, "ru").get("type")).isEqualTo("text");
    }

    @Test
    void aLongQuestionKeepsItsButtonsUnderAnEndThatFitsAnInteractiveMessage() {
        var question = "가".repeat(4090) + "\n" + "Вы в безопасности?";

        assertThat(WhatsAppAdapter.parts(new OutboundContent.Choices(question, YES_NO), () -> "ko")).containsExactly(
                new OutboundContent.Text("가".repeat(4090)), new OutboundContent.Choices("Вы в безопасности?", YES_NO));
    }

    @Test
    void numberedOptionsStayUnderTheEndWhenTheyFitAndGoAfterItWhenNot() {
        var many = IntStream.rangeClosed(1, 11).mapToObj(i -> new OutboundContent.Choice("n" + i, i + " чел.")).toList();
        var fits = new OutboundContent.Choices("Сколько вас? " + "ж".repeat(3000), many);
        assertThat(WhatsAppAdapter.parts(fits, () -> "ru")).containsExactly(fits);

        var end = "Сколько вас? " + "ж".repeat(4080);
        var parts = WhatsAppAdapter.parts(new OutboundContent.Choices(end, many), () -> "ru");
        assertThat(parts).extracting(OutboundContent::text).containsExactly(end,
                "1. 1 чел.\n2. 2 чел.\n3. 3 чел.\n4. 4 чел.\n5. 5 чел.\n6. 6 чел.\n7. 7 чел.\n8. 8 чел.\n9. 9 чел.\n"
                        + "10. 10 чел.\n11. 11 чел.");
    }

    @Test
    void locationInstructionsCountWithTheirEmojiAsTwoUnitsAndGoAfterAnEndTheyDoNotFit() {
        var instructions = WhatsAppTexts.locationInstructions("ko");
        var room = WhatsAppAdapter.MAX_TEXT - 2 - instructions.length();
        var fits = new OutboundContent.LocationRequest("어".repeat(room), "📍");
        assertThat(WhatsAppAdapter.parts(fits, () -> "ko")).containsExactly(fits);

        var over = "어".repeat(room + 1);
        assertThat(WhatsAppAdapter.parts(new OutboundContent.LocationRequest(over, "📍"), () -> "ko"))
                .containsExactly(new OutboundContent.Text(over), new OutboundContent.Text(instructions));
    }
}
