package org.lifeline.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lifeline.conversations.MessageContent.CallEvent;

class MessageContentsTests {

    static final List<MessageContent> ONE_OF_EACH_KIND = List.of(
            new MessageContent.Text("[choice] typed by him, not pressed"),
            new MessageContent.Start("kv-2026"),
            new MessageContent.Choice("surrender"),
            new MessageContent.Location(48.123456, 37.654321),
            new MessageContent.ContactCard("+79001234567"),
            new MessageContent.Photo("Это мой брат"),
            new MessageContent.Voice(),
            new MessageContent.Call(CallEvent.ANSWERED, null, "olena", null, 95),
            new MessageContent.Voicemail(12),
            new MessageContent.CallbackRequest("family"));

    @Test
    void everyKindReadsBackAsWrittenAndATextThatLooksLikeAMarkStaysText() {
        assertThat(ONE_OF_EACH_KIND).extracting(MessageContent::kind).containsExactlyInAnyOrder(MessageKind.values());
        for (var content : ONE_OF_EACH_KIND) {
            assertThat(MessageContents.read(content.kind(), MessageContents.write(content))).isEqualTo(content);
        }
    }

    @Test
    void onlyATextIsStoredAsItselfEveryOtherKindAsItsFields() {
        assertThat(MessageContents.write(new MessageContent.Text("hello"))).isEqualTo("hello");
        assertThat(MessageContents.write(new MessageContent.Location(48.5, 37.25)))
                .isEqualTo("{\"latitude\":48.5,\"longitude\":37.25}");
        assertThat(Arrays.stream(MessageKind.values()).map(MessageKind::type).distinct()).hasSize(MessageKind.values().length);
    }

    @Test
    void rowsFromBeforeKindsAreReadFromTheMarksInTheirText() {
        assertThat(MessageContents.read(null, "/start")).isEqualTo(new MessageContent.Start(null));
        assertThat(MessageContents.read(null, "/start kv-2026")).isEqualTo(new MessageContent.Start("kv-2026"));
        assertThat(MessageContents.read(null, "[choice] surrender")).isEqualTo(new MessageContent.Choice("surrender"));
        assertThat(MessageContents.read(null, "[location] 48.123456, -37.654321"))
                .isEqualTo(new MessageContent.Location(48.123456, -37.654321));
        assertThat(MessageContents.read(null, "[contact] +79001234567"))
                .isEqualTo(new MessageContent.ContactCard("+79001234567"));
        assertThat(MessageContents.read(null, "[photo]")).isEqualTo(new MessageContent.Photo(null));
        assertThat(MessageContents.read(null, "[photo]\nЭто мой брат\nслева")).isEqualTo(new MessageContent.Photo("Это мой брат\nслева"));
        assertThat(MessageContents.read(null, "[voice]")).isEqualTo(new MessageContent.Voice());
        assertThat(MessageContents.read(null, "[call] +380441234567"))
                .isEqualTo(new MessageContent.Call(CallEvent.RANG, "+380441234567", null, null, null));
        assertThat(MessageContents.read(null, "[call answered] olena, 95 s"))
                .isEqualTo(new MessageContent.Call(CallEvent.ANSWERED, null, "olena", null, 95));
        assertThat(MessageContents.read(null, "[call answered] ? s"))
                .isEqualTo(new MessageContent.Call(CallEvent.ANSWERED, null, null, null, null));
        assertThat(MessageContents.read(null, "[call not answered] busy"))
                .isEqualTo(new MessageContent.Call(CallEvent.NOT_ANSWERED, null, null, "busy", null));
        assertThat(MessageContents.read(null, "[call ended] completed, 130 s"))
                .isEqualTo(new MessageContent.Call(CallEvent.ENDED, null, null, "completed", 130));
        assertThat(MessageContents.read(null, "[voicemail] 12 s")).isEqualTo(new MessageContent.Voicemail(12));
        assertThat(MessageContents.read(null, "[callback requested] family"))
                .isEqualTo(new MessageContent.CallbackRequest("family"));
        assertThat(MessageContents.read(null, "Хочу сдаться")).isEqualTo(new MessageContent.Text("Хочу сдаться"));
        assertThat(MessageContents.read(null, "/started")).isEqualTo(new MessageContent.Text("/started"));
    }
}
