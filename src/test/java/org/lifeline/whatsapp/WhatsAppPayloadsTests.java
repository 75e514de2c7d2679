package org.lifeline.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.lifeline.channels.ChannelInput;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Webhook payloads shaped as Meta documents them, split and read into channel inputs. */
class WhatsAppPayloadsTests {

    static final JsonMapper json = JsonMapper.builder().build();
    static final String NUMBER_ID = "106540352242922";
    static final Function<String, String> REF = wamid -> wamid.startsWith("wamid.") ? "ref" : "not a wamid";

    static JsonNode sample(String name) {
        try (var in = WhatsAppPayloadsTests.class.getResourceAsStream("/whatsapp/" + name + ".json")) {
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ChannelInput read(String name) {
        var items = WhatsAppPayloads.split(json, sample(name), NUMBER_ID);
        assertThat(items).hasSize(1);
        var stored = json.readTree(((WhatsAppPayloads.Message) items.getFirst()).payload());
        return WhatsAppPayloads.interpret(WhatsAppPayloads.message(stored), REF,
                text -> org.lifeline.channels.TextLanguage.of(text, "en"));
    }

    @Test
    void storesNoProfileNameNorTheNamesOnASharedContactCard() {
        for (var name : new String[] {"text", "contacts", "image", "location", "interactive-button-reply"}) {
            var stored = ((WhatsAppPayloads.Message) WhatsAppPayloads.split(json, sample(name), NUMBER_ID).getFirst())
                    .payload();
            assertThat(stored).as(name).doesNotContain("profile", "Sheena", "Nelson", "Barbara", "Johnson", "first_name")
                    .contains("\"wa_id\":\"16505551234\"");
        }
        assertThat(json.writeValueAsString(sample("contacts"))).as("the sample has them").contains("Sheena", "Barbara");
        assertThat(read("contacts")).isInstanceOf(ChannelInput.ContactCard.class);
    }

    @Test
    void storesOnlyWhatIsReadOfAMessage() {
        var stored = stored("text-reply-from-ad");
        assertThat(json.writeValueAsString(sample("text-reply-from-ad"))).as("the sample has them")
                .contains("16315558888", "Sjvjlx8G6Z0=", "unit 12345", "ctwa_clid");
        assertThat(stored).doesNotContain("context", "16315558888", "forwarded", "referral", "unit 12345", "fb.me",
                "ctwa_clid", "identity", "Sjvjlx8G6Z0=");
        assertThat(read("text-reply-from-ad")).isEqualTo(
                new ChannelInput.Text("16505551234", "ru", "Я хочу жить", "ref"));
        assertThat(stored("location")).doesNotContain("Hacker Way", "Main Street", "facebook.com");
        assertThat(read("location")).isEqualTo(new ChannelInput.Location("16505551234", "en", 48.0159, 37.8029, "ref"));
        assertThat(stored("image")).doesNotContain("sha256", "SfInY0gGZQ4jBmEM1Ak2Ld9Cb2vFDEFNEm8ZxyaXbiQ=")
                .contains("Это мой брат");
        assertThat(stored("interactive-button-reply")).doesNotContain("title");
    }

    private static String stored(String name) {
        return ((WhatsAppPayloads.Message) WhatsAppPayloads.split(json, sample(name), NUMBER_ID).getFirst()).payload();
    }

    @Test
    void readsTextWithTheLanguageOfItsLetters() {
        assertThat(read("text")).isEqualTo(new ChannelInput.Text("16505551234", "ru", "Здравствуйте, мне нужна помощь",
                "ref"));
    }

    @Test
    void readsButtonAndListRepliesAsChoices() {
        assertThat(read("interactive-button-reply")).isEqualTo(new ChannelInput.Choice("16505551234", "en", "surrender", "ref"));
        assertThat(read("interactive-list-reply")).isEqualTo(new ChannelInput.Choice("16505551234", "en", "family", "ref"));
    }

    @Test
    void readsLocationContactImageAndVoice() {
        assertThat(read("location")).isEqualTo(new ChannelInput.Location("16505551234", "en", 48.0159, 37.8029, "ref"));
        assertThat(read("contacts")).isEqualTo(new ChannelInput.ContactCard("16505551234", "en", "+1 (650) 555-5678", "ref"));
        assertThat(read("image")).isEqualTo(new ChannelInput.Photo("16505551234", "en", "1003383421387256", "Это мой брат", "ref"));
        assertThat(read("audio-voice")).isEqualTo(new ChannelInput.Voice("16505551234", "en", "1026478539476183", "ref"));
    }

    @Test
    void toleratesReactionsAndUnsupportedTypes() {
        assertThat(read("reaction")).isInstanceOf(ChannelInput.Ignored.class);
        assertThat(read("unsupported")).isInstanceOf(ChannelInput.Ignored.class);
    }

    @Test
    void splitsABatchIntoOneItemPerMessageAndStatusOfOurNumberOnly() {
        var items = WhatsAppPayloads.split(json, sample("batch"), NUMBER_ID);

        assertThat(items).hasSize(4);
        assertThat(items).filteredOn(WhatsAppPayloads.Message.class::isInstance)
                .extracting(i -> ((WhatsAppPayloads.Message) i).waId())
                .containsExactly("16505551234", "16505559876", "16505554321");
        assertThat(items).filteredOn(WhatsAppPayloads.Status.class::isInstance).singleElement()
                .isEqualTo(new WhatsAppPayloads.Status("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA", "read",
                        null, "16505551234", 1_750_263_773L));
        // each stored message keeps the documented shape, with only its own sender's contact
        var second = json.readTree(((WhatsAppPayloads.Message) items.get(1)).payload());
        assertThat(WhatsAppPayloads.wellFormed(second)).isTrue();
        var value = second.path("entry").path(0).path("changes").path(0).path("value");
        assertThat(value.path("contacts")).hasSize(1);
        assertThat(value.path("contacts").path(0).path("wa_id").asString()).isEqualTo("16505559876");
        assertThat(WhatsAppPayloads.message(second).path("text").path("body").asString()).isEqualTo("도와주십시오");
    }

    @Test
    void readsTheErrorCodeOfAFailedStatus() {
        assertThat(WhatsAppPayloads.split(json, sample("status-failed"), NUMBER_ID)).singleElement()
                .isEqualTo(new WhatsAppPayloads.Status("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJCODhFRDkxMDhBQzU4OUQ0RDIA", "failed",
                        "131047", "16505551234", 1_750_263_773L));
    }

    @Test
    void recognisesOnlyDeliveriesForAWhatsAppBusinessAccount() {
        assertThat(WhatsAppPayloads.wellFormed(sample("text"))).isTrue();
        assertThat(WhatsAppPayloads.wellFormed(json.readTree("{\"object\":\"page\",\"entry\":[]}"))).isFalse();
        assertThat(WhatsAppPayloads.wellFormed(json.readTree("[1]"))).isFalse();
        assertThat(WhatsAppPayloads.wellFormed(json.readTree("{\"object\":\"whatsapp_business_account\"}"))).isFalse();
    }
}
