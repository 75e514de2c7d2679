package org.lifeline.platform;

import java.util.function.Supplier;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a statement that may fail on purpose (an insert that may hit a unique key) inside a savepoint of the current
 * transaction, so that the failure is rolled back alone: PostgreSQL refuses every further statement of a
 * transaction after an error.
 */
@Component
public class Savepoints {

    private final TransactionTemplate nested;

    Savepoints(PlatformTransactionManager transactionManager) {
        this.nested = new TransactionTemplate(transactionManager);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /** Without a transaction around, the work runs in a transaction of its own. */
    public <T> T attempt(Supplier<T> work) {
        return nested.execute(status -> work.get());
    }
}
