package org.lifeline.platform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A query over any number of values in an {@code in (:values)} list, asked a thousand values at a time: one list of
 * hundreds of thousands of parameters is more than a driver or a database takes.
 */
public final class InLists {

    static final int BATCH = 1000;

    private InLists() {
    }

    /** What the query answers for all the values, each batch's answers in turn. */
    public static <T, R> List<R> queried(Collection<T> values, Function<List<T>, ? extends Collection<R>> query) {
        var answers = new ArrayList<R>();
        var all = List.copyOf(values);
        for (var from = 0; from < all.size(); from += BATCH) {
            answers.addAll(query.apply(all.subList(from, Math.min(all.size(), from + BATCH))));
        }
        return answers;
    }

    /** Runs the statement for all the values, a batch at a time. */
    public static <T> void each(Collection<T> values, Consumer<List<T>> statement) {
        queried(values, batch -> {
            statement.accept(batch);
            return List.of();
        });
    }
}
