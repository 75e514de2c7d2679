package org.lifeline;

import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;

import org.lifeline.conversations.ConversationManagement;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lifeline on the embedded database of a data directory of its own, without a web server or background work: how the
 * tests of the embedded database's files (recovery, backups) start it, stop it, and start it again on what they made.
 */
final class EmbeddedLifeline {

    private EmbeddedLifeline() {
    }

    /** @param settings more {@code --name=value} settings; as arguments, they outrank the test run's system properties */
    static ConfigurableApplicationContext start(Path dataDir, String... settings) {
        var args = Stream.concat(Stream.of("--lifeline.data-dir=" + dataDir), Stream.of(settings)).toArray(String[]::new);
        return new SpringApplicationBuilder(LifelineApplication.class)
                .web(WebApplicationType.NONE)
                .properties("lifeline.background-work=false", "logging.level.root=OFF")
                .run(args);
    }

    static <T> T inTransaction(ConfigurableApplicationContext context, Function<ConversationManagement, T> work) {
        var conversations = context.getBean(ConversationManagement.class);
        return new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
                .execute(status -> work.apply(conversations));
    }
}
