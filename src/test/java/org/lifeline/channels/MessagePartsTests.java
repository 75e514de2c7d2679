package org.lifeline.channels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class MessagePartsTests {

    @Test
    void leavesWhatFitsAsItIs() {
        var question = new OutboundContent.Choices("Что вам нужно?", List.of(new OutboundContent.Choice("a", "A")));

        assertThat(MessageParts.split(question, 14)).containsExactly(question);
    }

    @Test
    void splitsAtLineBreaksInOrderWithTheButtonsUnderTheLastPart() {
        var choices = List.of(new OutboundContent.Choice("ru", "Русский"), new OutboundContent.Choice("ko", "조선어"));
        var question = new OutboundContent.Choices("first line\nsecond line\nthird line", choices);

        assertThat(MessageParts.split(question, 23)).containsExactly(
                new OutboundContent.Text("first line\nsecond line"),
                new OutboundContent.Choices("third line", choices));
    }

    @Test
    void splitsALineTooLongAtSpacesAndAWordTooLongAnywhereButInsideACharacter() {
        assertThat(MessageParts.split("one two three", 8)).containsExactly("one two", "three");
        assertThat(MessageParts.split("abcdefghij", 4)).containsExactly("abcd", "efgh", "ij");
        assertThat(MessageParts.split("abc😀def", 4)).containsExactly("abc", "😀de", "f");
    }

    @Test
    void everyPartOfALongMessageFitsAndNothingIsLost() {
        var text = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            text.append("line ").append(i).append(i % 7 == 0 ? " " + "word ".repeat(30) : "").append('\n');
        }
        var parts = MessageParts.split(text.toString().strip(), 100);

        assertThat(parts).allSatisfy(part -> assertThat(part.length()).isBetween(1, 100));
        assertThat(String.join(" ", parts).replaceAll("\\s+", " ")).isEqualTo(text.toString().strip().replaceAll("\\s+", " "));
    }

    @Test
    void aNoticeStaysANoticeInEveryPart() {
        assertThat(MessageParts.split(new OutboundContent.Notice("reminder\nagain"), 8))
                .containsExactly(new OutboundContent.Notice("reminder"), new OutboundContent.Notice("again"));
    }
}
