package org.lifeline.channels.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import org.lifeline.conversations.ConversationManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Downloads the files requesters send and keeps them encrypted on their message. A fetch is claimed in one short
 * transaction, downloaded with no transaction open, and stored in another; a claim left by a node that died runs
 * out and is taken again. Failures are retried with backoff, then given up on. Once stored, a channel that keeps
 * its own copy deletes it, and that too is retried; a copy it could never delete is shown to admins in the console
 * ({@link UndeletedCopies}) rather than forgotten.
 */
@Component
class AttachmentFetcher {

    private static final Logger log = LoggerFactory.getLogger(AttachmentFetcher.class);

    static final int MAX_ATTEMPTS = 8;
    /** Longer than a download may take (the Bot API calls time out within 90 s). */
    static final Duration LEASE = Duration.ofMinutes(3);

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
        var claimed = transaction.execute(status -> fetches.claimNext(LEASE));
        if (claimed == null || claimed.isEmpty()) {
            return false;
        }
        var fetch = claimed.get();
        var adapter = adapters.get(fetch.channel());
        try {
            if (!fetch.stored()) {
                var file = adapter.fetch(fetch.endpoint(), fetch.reference());
                transaction.executeWithoutResult(status -> {
                    conversations.attach(fetch.message(), file.mediaType(), file.content());
                    fetches.stored(fetch.id());
                });
            }
            // the file is safe on its message: the channel's own copy (if it keeps one) goes
            adapter.fetched(fetch.endpoint(), fetch.reference());
            transaction.executeWithoutResult(status -> fetches.done(fetch.id()));
        } catch (IOException e) {
            transaction.executeWithoutResult(status -> {
                if (fetch.attempts() + 1 >= MAX_ATTEMPTS && fetch.stored()) {
                    // the channel type only: the reference names the requester's file
                    log.warn("Gave up deleting a {} copy at the provider after {} retries: an admin must delete it there",
                            fetch.channel(), MAX_ATTEMPTS);
                    fetches.giveUpDeleting(fetch.id());
                } else if (fetch.attempts() + 1 >= MAX_ATTEMPTS) {
                    fetches.fail(fetch.id(), "gave-up");
                } else {
                    fetches.retry(fetch.id(), clock.instant().plus(OutboxDispatcher.backoff(fetch.attempts() + 2)), "unavailable");
                }
            });
        }
        return true;
    }
}
