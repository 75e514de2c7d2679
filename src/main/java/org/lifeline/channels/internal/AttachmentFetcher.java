package org.lifeline.channels.internal;

import java.io.IOException;
import java.time.Clock;

import org.lifeline.conversations.ConversationManagement;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Downloads the files requesters send and keeps them encrypted on their message. A download runs while its row is
 * locked, so exactly one node fetches each file; failures are retried with backoff, then given up on.
 */
@Component
class AttachmentFetcher {

    static final int MAX_ATTEMPTS = 8;

    private final AttachmentFetches fetches;
    private final Adapters adapters;
    private final ConversationManagement conversations;
    private final Clock clock;
    private final TransactionTemplate transaction;

    AttachmentFetcher(AttachmentFetches fetches, Adapters adapters, ConversationManagement conversations, Clock clock,
            PlatformTransactionManager transactions) {
        this.fetches = fetches;
        this.adapters = adapters;
        this.conversations = conversations;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Fetches the next due file, if any; returns false when none was due. */
    boolean fetchNext() {
        return Boolean.TRUE.equals(transaction.execute(status -> {
            var due = fetches.claimNext();
            if (due.isEmpty()) {
                return false;
            }
            var fetch = due.get();
            try {
                var file = adapters.get(fetch.channel()).fetch(fetch.endpoint(), fetch.reference());
                conversations.attach(fetch.message(), file.mediaType(), file.content());
                fetches.done(fetch.id());
            } catch (IOException e) {
                if (fetch.attempts() + 1 >= MAX_ATTEMPTS) {
                    fetches.fail(fetch.id(), "gave-up");
                } else {
                    fetches.retry(fetch.id(), clock.instant().plus(OutboxDispatcher.backoff(fetch.attempts() + 2)), "unavailable");
                }
            }
            return true;
        }));
    }
}
