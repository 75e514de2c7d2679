package org.lifeline.channels.internal;

import org.lifeline.privacy.DataProtection;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fills the outbox of a Telegram bot directly, as many flows' and operators' replies would, without the
 * conversations behind them (an outbox row without a conversation message is sent and settled like any other):
 * for measuring and testing the dispatcher alone.
 */
public final class OutboxLoad {

    private final OutboxMessages messages;
    private final DataProtection protection;
    private final TransactionTemplate transaction;
    private final ChannelWorkers workers;

    public OutboxLoad(ApplicationContext context) {
        this.messages = context.getBean(OutboxMessages.class);
        this.protection = context.getBean(DataProtection.class);
        this.transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
        this.workers = context.getBean(ChannelWorkers.class);
    }

    /** Queues {@code texts} to each chat, round by round (every chat's first, then every chat's second, …), in one commit. */
    public void queueTelegram(String bot, long[] chats, String... texts) {
        queueTelegram(bot, false, chats, texts);
    }

    /** As {@link #queueTelegram(String, long[], String...)}, as notices (reminders) or as replies in a conversation. */
    public void queueTelegram(String bot, boolean notices, long[] chats, String... texts) {
        transaction.executeWithoutResult(status -> {
            for (var text : texts) {
                for (var chat : chats) {
                    var recipient = Long.toString(chat);
                    messages.add("telegram", bot, Outbox.recipientRef(protection, "telegram", bot, recipient), recipient,
                            "{\"chat_id\":" + chat + ",\"text\":\"" + text + "\"}", null,
                            notices ? OutboxMessages.NOTICE : OutboxMessages.CONVERSATION);
                }
            }
        });
        workers.wakeDispatcher();
    }
}
