package org.lifeline.conversations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lifeline.conversations.ConversationManagementIntegrationTests.uniqueChatId;

import org.junit.jupiter.api.Test;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

@SpringBootTest
@PersistenceTest
@RecordApplicationEvents
class ForgetContactIntegrationTests {

    @Autowired
    ConversationManagement conversations;

    @Autowired
    ApplicationEvents events;

    @Test
    void forgettingAContactErasesHisMessagesButKeepsEverythingElseWorking() {
        var chatId = uniqueChatId();
        var contact = conversations.findOrCreateContact("telegram", chatId, "ru");
        var conversation = conversations.openOrResumeConversation(contact, null, "leaflet-7");
        conversations.recordInbound(conversation, "Меня зовут Алексей, я в Курской области", "1");
        var reply = conversations.recordOutbound(conversation, "Оставайтесь на связи");
        var bystander = conversations.findOrCreateContact("telegram", uniqueChatId(), null);
        var bystanderConversation = conversations.openOrResumeConversation(bystander, null, null);
        conversations.recordInbound(bystanderConversation, "Я тоже хочу жить", "1");

        conversations.forget(contact);

        var transcript = conversations.transcript(conversation);
        assertThat(transcript).hasSize(2).allMatch(MessageView::erased);
        assertThat(transcript).extracting(MessageView::direction)
                .containsExactly(Direction.INBOUND, Direction.OUTBOUND);
        assertThat(conversations.externalId(contact)).isEmpty();
        assertThat(conversations.contact(contact))
                .returns(true, ContactView::erased)
                .returns(Reachability.UNREACHABLE, ContactView::reachability);
        assertThat(conversations.conversation(conversation))
                .returns(ConversationStatus.CLOSED, ConversationView::status)
                .returns(null, ConversationView::entryCode);
        assertThat(conversations.updateDelivery(reply, DeliveryState.FAILED, "contact.forgotten")).isTrue();
        assertThat(events.stream(ContactForgotten.class)).containsExactly(new ContactForgotten(contact));

        assertThat(conversations.transcript(bystanderConversation)).extracting(MessageView::body)
                .containsExactly("Я тоже хочу жить");
        assertThat(conversations.findOrCreateContact("telegram", chatId, null))
                .as("writing again, he is a new contact").isNotEqualTo(contact);
    }

    @Test
    void nothingNewIsRecordedForAForgottenContact() {
        var contact = conversations.findOrCreateContact("telegram", uniqueChatId(), null);
        var conversation = conversations.openOrResumeConversation(contact, null, null);

        conversations.forget(contact);
        conversations.forget(contact);

        assertThatThrownBy(() -> conversations.recordOutbound(conversation, "Вы здесь?"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("forgotten")
                .hasMessageNotContaining("Вы здесь");
        assertThatThrownBy(() -> conversations.openOrResumeConversation(contact, null, null))
                .isInstanceOf(IllegalStateException.class);
        assertThat(events.stream(ContactForgotten.class)).hasSize(1);
    }
}
