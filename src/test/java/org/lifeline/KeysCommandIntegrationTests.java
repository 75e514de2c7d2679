package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.platform.CommandContext;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.privacy.DataProtection;
import org.lifeline.testing.PersistenceTest;
import org.lifeline.webchat.WebChat;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** {@code keys rotate} run the way an admin runs it, beside a running application (this test's context). */
@SpringBootTest
@PersistenceTest
class KeysCommandIntegrationTests {

    @Autowired
    DataProtection protection;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    WebChat chat;

    @Autowired
    AccessRecord access;

    @Test
    void keysRotateReWrapsEveryDataKeyAndDataStaysReadable() {
        var key = protection.newDataKey();
        var ciphertext = protection.encrypt(key, "Катя из Курска", "test:" + key.value());
        var out = new StringWriter();

        try (var context = new CommandContext(LifelineApplication.class)) {
            var exit = LifelineCommandLine.commandLine(context).setOut(new PrintWriter(out)).execute("keys", "rotate");

            assertThat(exit).as(out.toString()).isZero();
            var matcher = Pattern.compile("new primary key (\\d+)\\. Re-wrapped (\\d+) data keys")
                    .matcher(out.toString());
            assertThat(matcher.find()).as(out.toString()).isTrue();
            var primary = (int) Long.parseLong(matcher.group(1));
            assertThat(Long.parseLong(matcher.group(2))).isPositive();
            assertThat(jdbc.sql("select distinct master_key_id from data_key where wrapped_key is not null")
                    .query(Integer.class).list()).containsExactly(primary);
            assertThat(context.bean(DataProtection.class).decrypt(key, ciphertext, "test:" + key.value()))
                    .as("read by a fresh process, through the re-wrapped key").isEqualTo("Катя из Курска");
        }
        assertThat(protection.decrypt(key, ciphertext, "test:" + key.value())).isEqualTo("Катя из Курска");
    }

    @Test
    void keysRetireRemovesOldMasterKeysAndAfterARestartEverythingReadsBack() throws Exception {
        var key = protection.newDataKey();
        var ciphertext = protection.encrypt(key, "Катя из Курска", "test:" + key.value());
        var before = masterKeyIds();

        assertThat(CommandRun.of("keys", "rotate").exit()).isZero();
        var rotated = masterKeyIds();
        assertThat(rotated).containsAll(before).hasSize(before.size() + 1);
        var retired = CommandRun.of("keys", "retire");

        assertThat(retired.exit()).as(retired.err()).isZero();
        assertThat(retired.out()).startsWith("Retired " + before.size() + " older master key(s)");
        var after = masterKeyIds();
        assertThat(after).hasSize(1).doesNotContainAnyElementsOf(before);
        assertThat(jdbc.sql("select distinct master_key_id from data_key where wrapped_key is not null")
                .query(Long.class).list()).containsExactly(after.getFirst());
        try (var restarted = new CommandContext(LifelineApplication.class)) {
            assertThat(restarted.bean(DataProtection.class).decrypt(key, ciphertext, "test:" + key.value()))
                    .as("read by a fresh process with the retired keyset").isEqualTo("Катя из Курска");
        }
        assertThat(CommandRun.of("keys", "retire").out()).startsWith("Nothing to retire");
        assertThat(access.latest(10)).extracting(AccessRecord.Entry::action).contains("keys.rotate", "keys.retire");
    }

    @Test
    void keysRetireRefusesWhileADataKeyIsWrappedUnderAnOlderKey() throws Exception {
        var key = protection.newDataKey();
        assertThat(CommandRun.of("keys", "rotate").exit()).isZero();
        var keysets = masterKeyIds();
        var primary = jdbc.sql("select master_key_id from data_key where id = ?").param(key.value())
                .query(Long.class).single();
        var older = keysets.stream().filter(id -> !id.equals(primary)).findFirst().orElseThrow();
        jdbc.sql("update data_key set master_key_id = ? where id = ?").params(older.intValue(), key.value()).update();
        try {
            var refused = CommandRun.of("keys", "retire");

            assertThat(refused.exit()).isOne();
            assertThat(refused.err()).startsWith("error: 1 data keys are still wrapped under an older master key");
            assertThat(masterKeyIds()).isEqualTo(keysets);
        } finally {
            jdbc.sql("update data_key set master_key_id = ? where id = ?").params(primary.intValue(), key.value())
                    .update();
        }
    }

    @Test
    void keysRotateIndexReindexesContactsAndEveryoneIsStillFound() throws Exception {
        var chatId = "index-" + UUID.randomUUID();
        var contact = conversations.findOrCreateContact("telegram", chatId, "ru");
        var offer = chat.offer("en");
        var started = chat.start("en", offer.challenge(), offer.codename(), null,
                Integer.toString(offer.a() + offer.b()));
        assertThat(started.result()).isEqualTo(WebChat.Result.OPENED);
        // a start stores nothing: his first post makes the chat his codename resumes, and opens his session
        var starting = chat.session(started.token(), false).orElseThrow();
        var first = chat.text(starting, "en", chat.formToken(starting, 0), null, "hello");
        assertThat(first.outcome()).isEqualTo(WebChat.Outcome.STORED);
        await().atMost(Duration.ofSeconds(10)).until(() -> resumed(offer.codename()).result()
                == WebChat.Result.OPENED);
        var refBefore = externalRef(contact);
        var keysBefore = keyIds("index-keyset.json");

        var rotated = CommandRun.of("keys", "rotate-index");

        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(rotated.out()).startsWith("Blind-index key rotated.").containsPattern("re-indexed [1-9]\\d* contacts");
        assertThat(keyIds("index-keyset.json")).containsAll(keysBefore).hasSize(keysBefore.size() + 1);
        assertThat(externalRef(contact)).isNotEqualTo(refBefore);
        assertThat(conversations.findContact("telegram", chatId)).hasValue(contact);
        assertThat(conversations.findOrCreateContact("telegram", chatId, null)).as("no second contact")
                .isEqualTo(contact);
        assertThat(chat.session(first.session(), false)).as("a session begun before").isPresent();
        assertThat(resumed(offer.codename()).result()).as("a codename given before").isEqualTo(
                WebChat.Result.OPENED);
        try (var restarted = new CommandContext(LifelineApplication.class)) {
            assertThat(restarted.bean(ConversationManagement.class).findContact("telegram", chatId)).hasValue(contact);
        }
    }

    @Test
    void aWebChatStartShownJustBeforeTheIndexKeyIsRotatedIsStillTakenAfterIt() {
        var offer = chat.offer("en");
        var started = chat.start("en", offer.challenge(), offer.codename(), null,
                Integer.toString(offer.a() + offer.b()));
        var starting = chat.session(started.token(), false).orElseThrow();
        // the page with the flow's opening and its message form, shown before the rotation
        var form = chat.formToken(starting, 0);
        var forged = started.token().substring(0, started.token().length() - 2)
                + (started.token().endsWith("AA") ? "BB" : "AA");
        var pending = chat.offer("en");

        var rotated = CommandRun.of("keys", "rotate-index");

        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(chat.session(forged, false)).as("a token not ours").isEmpty();
        var after = chat.session(started.token(), false);
        assertThat(after).as("his start").isPresent();
        var first = chat.text(after.orElseThrow(), "en", form, null, "written after the rotation");
        assertThat(first.outcome()).as("his first post, from the form shown before").isEqualTo(WebChat.Outcome.STORED);
        assertThat(chat.session(first.session(), false)).isPresent();
        assertThat(chat.start("en", pending.challenge(), pending.codename(), null,
                Integer.toString(pending.a() + pending.b())).result()).as("a start page shown before")
                .isEqualTo(WebChat.Result.OPENED);
    }

    /** Resumes as the page would without JavaScript: a fresh resume challenge answered with its sum. */
    private WebChat.Opened resumed(String codename) {
        var check = chat.offer("en").resume();
        return chat.resume(check.challenge(), null, Integer.toString(check.a() + check.b()), codename);
    }

    private byte[] externalRef(ContactId contact) {
        return jdbc.sql("select external_ref from contact where id = ?").param(contact.value()).query(byte[].class)
                .single();
    }

    /** The key ids in the master keyset file, as the database stores them (signed 32-bit). */
    private static List<Long> masterKeyIds() throws Exception {
        return keyIds("master-keyset.json");
    }

    private static List<Long> keyIds(String keyset) throws Exception {
        var file = Path.of(System.getProperty("lifeline.data-dir"), "keys", keyset);
        var ids = new ArrayList<Long>();
        JsonMapper.shared().readTree(Files.readString(file)).path("key")
                .forEach(k -> ids.add((long) (int) k.path("keyId").asLong()));
        return ids;
    }

    @Test
    void saysPlainlyWhyTheKeysCannotBeUsed() {
        var err = new StringWriter();
        System.setProperty("lifeline.crypto.master-keyset", "{}");
        try (var context = new CommandContext(LifelineApplication.class)) {
            var exit = LifelineCommandLine.commandLine(context).setErr(new PrintWriter(err)).execute("keys", "rotate");

            assertThat(exit).isOne();
        } finally {
            System.clearProperty("lifeline.crypto.master-keyset");
        }
        assertThat(err.toString()).startsWith("error: Set both lifeline.crypto.master-keyset and "
                + "lifeline.crypto.index-keyset");
    }

    @Test
    void keysAloneListsItsSubcommands() {
        var out = new StringWriter();
        try (var context = new CommandContext(LifelineApplication.class)) {
            var exit = LifelineCommandLine.commandLine(context).setOut(new PrintWriter(out)).execute("keys");

            assertThat(exit).isZero();
        }
        assertThat(out.toString()).contains("Usage: lifeline keys").contains("rotate").contains("retire").contains("rotate-index");
    }
}
