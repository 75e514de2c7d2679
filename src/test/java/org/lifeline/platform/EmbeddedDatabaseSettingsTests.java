package org.lifeline.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The embedded default runs with the settings {@link ProductionDatabaseGuard} gives it, as the database itself reports
 * them (H2 only: this class is not in the PostgreSQL execution). A setting H2 did not understand or dropped would
 * show here rather than as lost updates after a crash or a slower queue.
 */
@SpringBootTest
class EmbeddedDatabaseSettingsTests {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    javax.sql.DataSource dataSource;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void theEmbeddedDatabaseRunsWithDurableCommitsAndAStatementCacheForAWholeUpdate() {
        var settings = new HashMap<String, String>();
        jdbc.sql("select setting_name, setting_value from information_schema.settings")
                .query(rs -> {
                    settings.put(rs.getString(1), rs.getString(2));
                });

        assertThat(settings).as("commits written to the file before they return").containsEntry("WRITE_DELAY", "0");
        assertThat(settings).as("parsed statements kept per connection (H2's default is 8)")
                .containsEntry("QUERY_CACHE_SIZE", "128");
    }

    /**
     * Every identity column reserves 4,096 values at a time: at H2's default of 32, writing the next value to the file
     * cost a commit of its own every 32 inserts (V280).
     */
    @Test
    void everyIdentityColumnReservesItsValuesManyAtATime() {
        var caches = jdbc.sql("""
                select table_name, column_name, identity_cache from information_schema.columns
                where is_identity = 'YES' and table_schema = 'public'""")
                .query((rs, n) -> rs.getString(1) + "." + rs.getString(2) + "=" + rs.getLong(3)).list();

        assertThat(caches).containsExactlyInAnyOrder("inbound_update.id=4096", "outbox_message.id=4096",
                "message.seq=4096", "attachment_fetch.id=4096", "whatsapp_report.id=4096", "access_log.id=4096");
    }

    /**
     * The application's pool hands out connections that keep their locking statements prepared
     * ({@link H2LockingStatements}): the same {@code for update} SQL prepared twice in a transaction, the first
     * closed in between, is one statement of H2's, which H2 parsed once.
     */
    @Test
    void aLockingStatementIsPreparedOnceAConnection() {
        var sql = "select id from operator_account where id = ? for update";
        var same = transaction.execute(status -> {
            var connection = org.springframework.jdbc.datasource.DataSourceUtils.getConnection(dataSource);
            try {
                Object first;
                try (var statement = connection.prepareStatement(sql)) {
                    statement.setObject(1, java.util.UUID.randomUUID());
                    statement.executeQuery().close();
                    first = statement.unwrap(org.h2.jdbc.JdbcPreparedStatement.class);
                }
                try (var statement = connection.prepareStatement(sql)) {
                    statement.setObject(1, java.util.UUID.randomUUID());
                    statement.executeQuery().close();
                    return statement.unwrap(org.h2.jdbc.JdbcPreparedStatement.class) == first;
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(same).as("the second prepare handed out the statement the first one closed").isTrue();
    }

    /** An index as H2's catalogue lists it: its table, its kind, and its columns in order, comma-separated. */
    private record Index(String table, String type, String columns) {

        /** Whether this index begins with all of the other's columns. */
        boolean beginsWith(Index other) {
            return table.equals(other.table) && (columns + ",").startsWith(other.columns + ",");
        }
    }

    /**
     * H2 makes an index of its own for every foreign key, of exactly the key's columns; an index of the migrations that
     * begins with those columns is a second one, written with every row (V327 dropped three, among them the one every
     * message recorded wrote twice). A primary key may begin with them: it is the row's identity, not a second index.
     */
    @Test
    void noIndexBeginsWithTheColumnsOfAForeignKeysOwnIndex() {
        var indexes = new HashMap<String, Index>();
        jdbc.sql("""
                select i.table_name, i.index_name, i.index_type_name,
                       listagg(c.column_name, ',') within group (order by c.ordinal_position)
                from information_schema.indexes i join information_schema.index_columns c
                  on c.index_schema = i.index_schema and c.table_name = i.table_name and c.index_name = i.index_name
                where i.table_schema = 'public'
                group by i.table_name, i.index_name, i.index_type_name""")
                .query(rs -> {
                    indexes.put(rs.getString(2), new Index(rs.getString(1), rs.getString(3), rs.getString(4)));
                });
        var foreignKeys = jdbc.sql("""
                select index_name from information_schema.table_constraints
                where constraint_schema = 'public' and constraint_type = 'FOREIGN KEY'""")
                .query(String.class).set();
        assertThat(foreignKeys).as("the foreign keys' own indexes").isNotEmpty()
                .allSatisfy(key -> assertThat(indexes).containsKey(key));
        // the message's conversation was one of those V327 found doubled: its key still has its index
        assertThat(foreignKeys).as("the index of message's key to its conversation")
                .anySatisfy(key -> assertThat(indexes.get(key))
                        .isEqualTo(new Index("message", "INDEX", "conversation_id")));

        var doubled = new java.util.ArrayList<String>();
        for (var key : foreignKeys) {
            indexes.forEach((name, index) -> {
                if (!name.equals(key) && !index.type().equals("PRIMARY KEY") && index.beginsWith(indexes.get(key))) {
                    doubled.add(index.table() + "." + name + " (" + index.columns() + ")");
                }
            });
        }
        assertThat(doubled).as("indexes beginning with a foreign key's own index's columns").isEmpty();
    }
}
