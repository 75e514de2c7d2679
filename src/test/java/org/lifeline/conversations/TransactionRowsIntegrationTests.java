package org.lifeline.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A transaction reads a conversation's or contact's row once ({@link TransactionRows}), reads its own writes, and
 * keeps nothing past itself or into a transaction of its own inside it. What another connection changes stands in
 * for what the database holds: a row read again from memory does not show it.
 */
@SpringBootTest
@PersistenceTest
class TransactionRowsIntegrationTests {

    @Autowired
    ConversationManagement management;

    @Autowired
    Conversations conversations;

    @Autowired
    Contacts contacts;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aTransactionReadsAConversationAndAContactOnce() {
        var conversation = newConversation();
        var contact = conversations.find(conversation).orElseThrow().contact();

        var seen = languagesReadAgain(conversation, contact, () -> {
        });

        assertThat(seen).as("read again from memory").isEqualTo("ru ru");
        assertThat(conversations.find(conversation).orElseThrow().language()).as("outside a transaction")
                .isEqualTo("en");
    }

    /**
     * In one transaction: both rows read, both languages changed by another connection, {@code then} run, and the
     * languages read again ("conversation contact").
     */
    private String languagesReadAgain(ConversationId conversation, ContactId contact, Runnable then) {
        return inTransaction(() -> {
            conversations.find(conversation);
            contacts.find(contact);
            changeElsewhere(conversation, contact);
            then.run();
            return conversations.find(conversation).orElseThrow().language() + " "
                    + contacts.find(contact).orElseThrow().preferredLanguage();
        });
    }

    @Test
    void aTransactionReadsItsOwnWritesToEitherTable() {
        var conversation = newConversation();
        var contact = conversations.find(conversation).orElseThrow().contact();

        var seen = inTransaction(() -> {
            conversations.find(conversation);
            contacts.find(contact);
            conversations.setStatus(conversation, ConversationStatus.HANDED_OVER);
            var status = conversations.find(conversation).orElseThrow().status();
            contacts.markForgotten(contact, Instant.now());
            return status + " " + contacts.find(contact).orElseThrow().forgotten() + " "
                    + conversations.find(conversation).orElseThrow().forgotten();
        });

        assertThat(seen).isEqualTo("HANDED_OVER true true");
    }

    @Test
    void aTransactionOfItsOwnInsideOneReadsTheDatabaseAndLeavesNothingBehind() {
        var conversation = newConversation();
        var contact = conversations.find(conversation).orElseThrow().contact();

        var seen = inTransaction(() -> {
            conversations.find(conversation);
            changeElsewhere(conversation, contact);
            var inner = new TransactionTemplate(transactions);
            inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
            return inner.execute(status -> conversations.find(conversation).orElseThrow().language());
        });
        var next = inTransaction(() -> conversations.find(conversation).orElseThrow().language());

        assertThat(seen).as("inside, on its own connection").isEqualTo("en");
        assertThat(next).as("the next transaction").isEqualTo("en");
    }

    @Test
    void aWriteToOneRowForgetsThatRowAlone() {
        var conversation = newConversation();
        var contact = conversations.find(conversation).orElseThrow().contact();

        var seen = languagesReadAgain(conversation, contact,
                () -> conversations.setStatus(conversation, ConversationStatus.HANDED_OVER));

        assertThat(seen).as("the conversation read again, the contact from memory").isEqualTo("en ru");
    }

    @Test
    void aConversationsActivityIsWrittenOnceJustBeforeTheCommitWithTheLatestTime() {
        var conversation = newConversation();
        var before = activityOf(conversation);
        var at = Instant.parse("2031-05-01T10:00:00Z");

        var inside = inTransaction(() -> {
            conversations.touch(conversation, at.plusSeconds(1));
            conversations.touch(conversation, at.plusSeconds(3));
            conversations.touch(conversation, at.plusSeconds(2));
            return conversations.find(conversation).orElseThrow().lastActivityAt() + " " + activityElsewhere(conversation);
        });

        assertThat(inside).as("in the transaction / in the database meanwhile").isEqualTo(at.plusSeconds(3) + " " + before);
        assertThat(inTransaction(() -> activityOf(conversation))).as("after the commit").isEqualTo(at.plusSeconds(3));
    }

    @Test
    void aTransactionRolledBackLeavesTheActivityAsItWas() {
        var conversation = newConversation();
        var before = activityOf(conversation);

        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            conversations.touch(conversation, Instant.parse("2031-05-01T10:00:00Z"));
            status.setRollbackOnly();
        });

        assertThat(activityOf(conversation)).isEqualTo(before);
    }

    private Instant activityOf(ConversationId conversation) {
        return jdbc.sql("select last_activity_at from conversation where id = ?").param(conversation.value())
                .query(java.sql.Timestamp.class).single().toInstant();
    }

    /** As another node sees it now: on a connection of its own. */
    private Instant activityElsewhere(ConversationId conversation) {
        var elsewhere = new TransactionTemplate(transactions);
        elsewhere.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return elsewhere.execute(status -> activityOf(conversation));
    }

    private ConversationId newConversation() {
        var contact = management.findOrCreateContact("telegram", "rows-" + UUID.randomUUID(), "ru");
        return management.openOrResumeConversation(contact, "ru", null);
    }

    /** As another node would: on a connection of its own, committed at once. */
    private void changeElsewhere(ConversationId conversation, ContactId contact) {
        var elsewhere = new TransactionTemplate(transactions);
        elsewhere.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        elsewhere.executeWithoutResult(status -> {
            jdbc.sql("update conversation set language = 'en' where id = ?").param(conversation.value()).update();
            jdbc.sql("update contact set preferred_language = 'en' where id = ?").param(contact.value()).update();
        });
    }

    private <T> T inTransaction(java.util.function.Supplier<T> work) {
        return new TransactionTemplate(transactions).execute(status -> work.get());
    }
}
