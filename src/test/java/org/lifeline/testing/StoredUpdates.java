package org.lifeline.testing;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lifeline.platform.Databases;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The inbound updates a node has stored: those in {@code inbound_update} and, on H2, those still in the intake
 * journal (a second H2 database, {@code intake_update}, whose columns {@code channel, endpoint, idempotency_key,
 * sender_ref, state} are the same). An update acknowledged a moment ago may be in either; these look at both.
 */
public final class StoredUpdates {

    private final JdbcClient main;
    private final Optional<String> journalUrl;
    private final String user;

    public StoredUpdates(JdbcClient main, Environment environment) {
        this.main = main;
        this.journalUrl = Databases.h2Beside(environment.getProperty("spring.datasource.url", ""), "intake");
        this.user = environment.getProperty("spring.datasource.username", "sa");
    }

    /**
     * How many stored updates match {@code where} (a condition on the columns above). The journal is read first: an
     * update moved meanwhile is in {@code inbound_update} by the second read (a move commits there before it deletes
     * from the journal), and one seen in both is counted once.
     */
    public long count(String where, Object... params) {
        return column("state", where, params).size();
    }

    /** One column of the stored updates matching {@code where}, in the order they were stored; see {@link #count}. */
    public List<String> column(String column, String where, Object... params) {
        var sql = "select channel || '/' || endpoint || '/' || idempotency_key, " + column + " from %s where " + where
                + " order by id";
        RowMapper<String[]> pair = (rs, n) -> new String[] {rs.getString(1), rs.getString(2)};
        var journaled = inJournal(journal -> journal.sql(sql.formatted("intake_update")).params(params).query(pair).list())
                .orElse(List.of());
        var rows = main.sql(sql.formatted("inbound_update")).params(params).query(pair).list();
        var keys = new java.util.HashSet<String>();
        var values = new ArrayList<String>();
        for (var row : rows) {
            keys.add(row[0]);
            values.add(row[1]);
        }
        for (var row : journaled) {
            if (!keys.contains(row[0])) {
                values.add(row[1]);
            }
        }
        return values;
    }

    /**
     * The sender reference of the first stored update matching {@code where}: the journal read first, as in
     * {@link #count}, so that an update moved between the two reads is found in {@code inbound_update}.
     */
    public byte[] sender(String where, Object... params) {
        var sql = " sender_ref from %s where " + where + " order by id limit 1";
        var journaled = inJournal(journal -> journal.sql("select" + sql.formatted("intake_update")).params(params)
                .query(byte[].class).optional()).flatMap(o -> o);
        return main.sql("select" + sql.formatted("inbound_update")).params(params).query(byte[].class).optional()
                .or(() -> journaled).orElseThrow();
    }

    /** Every value in the journal, as {@link DatabaseRows#values(JdbcClient)} gives them. */
    public List<String> journalValues() {
        return inJournal(DatabaseRows::values).orElse(List.of());
    }

    /** Whether the journal holds no update any more (all moved), or there is none. */
    public boolean journalEmpty() {
        return inJournal(journal -> journal.sql("select count(*) from intake_update").query(Long.class).single())
                .map(n -> n == 0).orElse(true);
    }

    private <T> Optional<T> inJournal(java.util.function.Function<JdbcClient, T> query) {
        if (journalUrl.isEmpty()) {
            return Optional.empty();
        }
        // the journal is open in this JVM already when it is in use; IFEXISTS: never create one by looking
        var url = journalUrl.get() + ";IFEXISTS=TRUE";
        try (var connection = DriverManager.getConnection(url, user, "")) {
            var exists = connection.getMetaData().getTables(null, null, "intake_update", null).next();
            if (!exists) {
                return Optional.empty();
            }
            return Optional.ofNullable(query.apply(JdbcClient.create(new SingleConnectionDataSource(connection, true))));
        } catch (SQLException e) {
            // no journal database: nothing is in it
            return Optional.empty();
        }
    }
}
