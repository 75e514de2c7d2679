package org.lifeline.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;
import org.lifeline.channels.ChannelInput;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Update payloads shaped as the Bot API documentation shows them, read into channel inputs. */
class TelegramUpdatesTests {

    private static final JsonMapper json = JsonMapper.builder().build();

    static JsonNode update(String name) {
        try (var in = TelegramUpdatesTests.class.getResourceAsStream("/telegram/updates/" + name + ".json")) {
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The named sample as if sent now: its own time (a message's, an edit's, a membership change's) is now. */
    static ObjectNode recent(String name) {
        var update = (ObjectNode) update(name);
        var now = java.time.Instant.now().getEpochSecond();
        for (var field : new String[] {"message", "edited_message", "my_chat_member"}) {
            if (update.path(field).isObject()) {
                var dated = (ObjectNode) update.get(field);
                dated.put("date", now);
                if (dated.has("edit_date")) {
                    dated.put("edit_date", now);
                }
            }
        }
        return update;
    }

    @Test
    void readsTheTimeAnUpdateGivesItselfAndNoneForAPressedButton() {
        assertThat(TelegramUpdates.sentAt(update("message-text"))).hasValue(update("message-text").path("message")
                .path("date").asLong());
        assertThat(TelegramUpdates.sentAt(update("edited-message"))).as("the edit's, not the message's")
                .hasValue(1441646600L);
        assertThat(TelegramUpdates.sentAt(update("my-chat-member-kicked"))).hasValue(1441645560L);
        // the date of the message its button is on: any time before the press
        assertThat(TelegramUpdates.sentAt(update("callback-query"))).isEmpty();
        assertThat(TelegramUpdates.sentAt(json.readTree("{\"update_id\":1,\"message\":{\"date\":\"1441645532\"}}")))
                .as("not a number: none").isEmpty();
    }

    /** Every sample, as the Bot API documentation shows them. */
    static final String[] SAMPLES = {"message-text", "message-start", "callback-query", "location", "contact", "photo",
            "my-chat-member-kicked", "edited-message", "message-reaction", "sticker"};

    @Test
    void keepsOfAnUpdateWhatIsReadAndNoNameNorUserName() {
        for (var sample : SAMPLES) {
            var update = update(sample);
            var kept = TelegramUpdates.essentials(update);

            assertThat(TelegramUpdates.interpret(kept)).as(sample + " reads the same").isEqualTo(TelegramUpdates.interpret(update));
            assertThat(TelegramUpdates.senderOf(kept)).as(sample + " has the same sender").isEqualTo(TelegramUpdates.senderOf(update));
            assertThat(kept.path("callback_query").path("id")).as(sample + ": the button to acknowledge")
                    .isEqualTo(update.path("callback_query").path("id"));
            assertThat(json.writeValueAsString(kept)).as(sample)
                    .doesNotContain("first_name", "last_name", "username", "Иван", "Петров", "ivan_p");
        }
        assertThat(json.writeValueAsString(update("message-text"))).as("the sample has them").contains("ivan_p");
    }

    @Test
    void readsAChatIdThatIsNoIntegerAsNothing() {
        for (var sample : new String[] {"message-text", "callback-query", "my-chat-member-kicked"}) {
            for (var id : new JsonNode[] {json.getNodeFactory().stringNode("1111111"),
                    json.getNodeFactory().numberNode(1111111.5),
                    json.getNodeFactory().numberNode(new java.math.BigInteger("99999999999999999999999"))}) {
                var update = (tools.jackson.databind.node.ObjectNode) update(sample);
                var holder = update.has("message") ? update.get("message")
                        : update.has("callback_query") ? update.get("callback_query").get("message")
                        : update.get("my_chat_member");
                ((tools.jackson.databind.node.ObjectNode) holder.get("chat")).set("id", id);
                if (update.has("callback_query")) {
                    ((tools.jackson.databind.node.ObjectNode) update.get("callback_query").get("from")).set("id", id);
                }
                assertThat(TelegramUpdates.interpret(update)).as(sample + " with " + id)
                        .isEqualTo(new ChannelInput.Ignored("chat id not an integer"));
            }
        }
    }

    @Test
    void readsTextWithTheSendersChatAndLanguage() {
        var input = TelegramUpdates.interpret(update("message-text"));

        assertThat(input).isEqualTo(new ChannelInput.Text("1111111", "ru", "Здравствуйте, я хочу сдаться", "1365"));
    }

    @Test
    void readsTheStartPayloadAsEntryCode() {
        assertThat(TelegramUpdates.interpret(update("message-start")))
                .isEqualTo(new ChannelInput.Start("1111111", "ru", "kr-video-7", "1366"));
    }

    @Test
    void readsCallbackDataAsTheChoice() {
        assertThat(TelegramUpdates.interpret(update("callback-query")))
                .isEqualTo(new ChannelInput.Choice("2222222", "ko", "surrender", "1400"));
    }

    @Test
    void readsSharedLocationContactAndLargestPhoto() {
        assertThat(TelegramUpdates.interpret(update("location")))
                .isEqualTo(new ChannelInput.Location("1111111", "ru", 48.015883, 37.80285, "1367"));
        assertThat(TelegramUpdates.interpret(update("contact")))
                .isEqualTo(new ChannelInput.ContactCard("1111111", "ru", "+79161234567", "1368"));
        assertThat(TelegramUpdates.interpret(update("photo")))
                .isEqualTo(new ChannelInput.Photo("3333333", "uk", "AgACAgIAAxkBAAIBlarge", "Мой сын, шрам на левой руке", "1369"));
    }

    @Test
    void readsBlockingTheBotAsBlocked() {
        assertThat(TelegramUpdates.interpret(update("my-chat-member-kicked")))
                .isEqualTo(new ChannelInput.Blocked("1111111", "ru"));
    }

    @Test
    void ignoresEditsReactionsStickersAndUnknownTypes() {
        assertThat(TelegramUpdates.interpret(update("edited-message"))).isInstanceOf(ChannelInput.Ignored.class);
        assertThat(TelegramUpdates.interpret(update("message-reaction"))).isInstanceOf(ChannelInput.Ignored.class);
        assertThat(TelegramUpdates.interpret(update("sticker"))).isInstanceOf(ChannelInput.Ignored.class);
        assertThat(TelegramUpdates.interpret(json.readTree("{\"update_id\":1,\"future_kind\":{\"x\":1}}")))
                .isInstanceOf(ChannelInput.Ignored.class);
    }

    @Test
    void ignoresGroupChats() {
        var group = json.readTree("""
                {"update_id":5,"message":{"message_id":1,"from":{"id":1,"is_bot":false,"first_name":"A"},
                 "chat":{"id":-100123,"title":"Group","type":"supergroup"},"date":1,"text":"hi"}}""");

        assertThat(TelegramUpdates.interpret(group)).isInstanceOf(ChannelInput.Ignored.class);
    }

    @Test
    void ordersEveryUpdateKindByItsChat() {
        assertThat(TelegramUpdates.senderOf(update("message-text"))).isEqualTo("1111111");
        assertThat(TelegramUpdates.senderOf(update("edited-message"))).isEqualTo("1111111");
        assertThat(TelegramUpdates.senderOf(update("callback-query"))).isEqualTo("2222222");
        assertThat(TelegramUpdates.senderOf(update("my-chat-member-kicked"))).isEqualTo("1111111");
        assertThat(TelegramUpdates.senderOf(update("message-reaction"))).isEqualTo("-");
    }

    @Test
    void escapesExactlyWhatTelegramHtmlNeeds() {
        assertThat(TelegramAdapter.escapeHtml("<b>\"A&B\"</b> 전선 — «да»"))
                .isEqualTo("&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; 전선 — «да»");
    }
}
