package org.lifeline.conversations;

import java.util.Set;
import java.util.UUID;

import org.lifeline.platform.InLists;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.ErasedSubjects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Requesters a restored database brings back after they were forgotten: each is forgotten again through
 * {@link ConversationManagement#forget}, so that the listeners of {@link ContactForgetting} and
 * {@link ContactForgotten} erase what other modules keep about him, as they did the first time.
 */
@Component
class ContactErasures implements ErasedSubjects {

    private final ConversationManagement conversations;
    private final JdbcClient jdbc;

    ContactErasures(ConversationManagement conversations, JdbcClient jdbc) {
        this.conversations = conversations;
        this.jdbc = jdbc;
    }

    @Override
    public String kind() {
        return "contacts";
    }

    @Override
    public int eraseAgain(Set<DataKeyId> keys) {
        var contacts = InLists.queried(keys.stream().map(DataKeyId::value).toList(), batch -> jdbc
                .sql("select id from contact where forgotten_at is null and data_key_id in (:keys)")
                .param("keys", batch).query(UUID.class).list());
        contacts.forEach(contact -> conversations.forget(new ContactId(contact)));
        return contacts.size();
    }
}
