package org.lifeline.telegram;

import java.net.URI;
import java.util.concurrent.Callable;

import org.lifeline.platform.CommandContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "telegram", description = "Telegram bots.", subcommands = TelegramCommand.SetWebhook.class,
        mixinStandardHelpOptions = true)
public class TelegramCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "set-webhook", mixinStandardHelpOptions = true,
            description = "Registers the webhook (with its secret and the update types used) of every bot in webhook mode.")
    static class SetWebhook implements Callable<Integer> {

        private final CommandContext context;

        @Spec
        CommandSpec spec;

        @Option(names = "--base-url", required = true,
                description = "Public https:// address of this server or its proxy; each bot gets <base-url>/webhooks/telegram/<username>.")
        URI baseUrl;

        SetWebhook(CommandContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws Exception {
            var lines = context.bean(TelegramWebhooks.class).register(baseUrl);
            lines.forEach(spec.commandLine().getOut()::println);
            return lines.stream().anyMatch(l -> l.contains("refused")) ? 1 : 0;
        }
    }
}
