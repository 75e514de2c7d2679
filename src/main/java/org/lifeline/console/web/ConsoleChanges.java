package org.lifeline.console.web;

import java.util.function.Supplier;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one change from a console form, with its access record entry, in a transaction of its own. A refusal thrown
 * by a service (a transition the lifecycle forbids, a change made meanwhile by someone else) rolls back that
 * transaction and nothing else: the controller, which holds no transaction, then records the refusal, which
 * commits, and shows the operator why. (A controller-wide transaction would be marked rollback-only by the service,
 * fail at its commit with a 500, and take the refusal's entry down with it.)
 */
@Component
class ConsoleChanges {

    private final TransactionTemplate transaction;

    ConsoleChanges(PlatformTransactionManager transactions) {
        this.transaction = new TransactionTemplate(transactions);
    }

    void run(Runnable change) {
        transaction.executeWithoutResult(status -> change.run());
    }

    <T> T call(Supplier<T> change) {
        return transaction.execute(status -> change.get());
    }

    /** A refusal decided by the console itself, inside a change; its message is for the operator. */
    static final class Refused extends RuntimeException {
        Refused(String problem) {
            super(problem);
        }
    }
}
