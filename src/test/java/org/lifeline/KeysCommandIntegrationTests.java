package org.lifeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.lifeline.platform.CommandContext;
import org.lifeline.privacy.DataProtection;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code keys rotate} run the way an admin runs it, beside a running application (this test's context). */
@SpringBootTest
@PersistenceTest
class KeysCommandIntegrationTests {

    @Autowired
    DataProtection protection;

    @Autowired
    JdbcClient jdbc;

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
        assertThat(out.toString()).contains("Usage: lifeline keys").contains("rotate");
    }
}
