package org.lifeline.privacy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What forgetting a requester writes to the erasure journal, and when: his data key's id once the transaction has
 * committed, nothing if it rolls back, and never anything of his.
 */
@SpringBootTest
@PersistenceTest
class ErasureJournalIntegrationTests {

    private static final String CHAT_ID = "6" + (100_000_000L + (System.nanoTime() % 800_000_000L));
    private static final String TEXT = "Меня зовут Иван Дроздов-" + UUID.randomUUID().toString().substring(0, 8);

    @Autowired
    ConversationManagement conversations;

    @Autowired
    ErasureJournal journal;

    @Autowired
    ErasureReapplication reapplication;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aForgottenRequesterLeavesHisKeysIdInTheJournalAndNothingOfHis() throws Exception {
        var contact = conversations.findOrCreateContact("telegram", CHAT_ID, "ru");
        var conversation = conversations.openOrResumeConversation(contact, "ru", null);
        conversations.recordInbound(conversation, TEXT, "1");
        var key = keyOf(contact.value());

        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            conversations.forget(contact);
            assertThat(journal.read()).as("not before the commit").doesNotContainKey(key);
        });

        assertThat(journal.read()).containsKey(key);
        var bytes = Files.readAllBytes(journal.file());
        var text = new String(bytes, UTF_8);
        assertThat(text).doesNotContain(CHAT_ID).doesNotContain(TEXT).doesNotContain(contact.value().toString())
                .endsWith("\n");
        // line by line: the file holds every other test's erasures too, too many for one pattern's recursion
        var lines = text.split("\n");
        assertThat(lines[0]).matches("# Lifeline erasure journal [0-9a-f-]{36}");
        assertThat(java.util.Arrays.copyOfRange(lines, 1, lines.length)).allSatisfy(line -> assertThat(line)
                .matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z [0-9a-f-]{36}"));
    }

    @Test
    void aForgettingRolledBackLeavesNoEntryAndNothingIsErasedAgain() {
        var contact = conversations.findOrCreateContact("telegram", CHAT_ID + "1", "ru");
        var key = keyOf(contact.value());

        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            conversations.forget(contact);
            status.setRollbackOnly();
        });
        reapplication.reapply();

        assertThat(journal.read()).doesNotContainKey(key);
        assertThat(conversations.externalId(contact)).hasValue(CHAT_ID + "1");
    }

    private UUID keyOf(UUID contact) {
        return jdbc.sql("select data_key_id from contact where id = ?").param(contact).query(UUID.class).single();
    }
}
