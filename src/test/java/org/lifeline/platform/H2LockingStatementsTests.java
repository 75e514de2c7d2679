package org.lifeline.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.UUID;

import org.h2.jdbc.JdbcPreparedStatement;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection of {@link H2LockingStatements} keeps the statements it prepared for locking SQL and hands them out
 * again once closed; never one in use, never one whose settings changed, never one for other SQL; and what it kept
 * is closed with it. The rows such a statement locks stay locked as H2 locks them.
 */
class H2LockingStatementsTests {

    static final String LOCK = "select label from item where id = ? for update";
    static final String SKIP_LOCKED = "select id from item where id in (1, 2) order by id for update skip locked";

    H2LockingStatements dataSource;
    Connection keeper;

    @BeforeEach
    void database() throws SQLException {
        var h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:locking-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=100");
        dataSource = new H2LockingStatements(h2);
        keeper = dataSource.getConnection();
        try (var statement = keeper.createStatement()) {
            statement.execute("create table item (id int primary key, label varchar(10))");
            statement.execute("insert into item values (1, 'one'), (2, 'two')");
        }
    }

    @AfterEach
    void close() throws SQLException {
        try (var statement = keeper.createStatement()) {
            statement.execute("shutdown");
        }
    }

    @Test
    void aLockingStatementClosedIsHandedOutAgainWithItsParametersCleared() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            var first = connection.prepareStatement(LOCK);
            first.setInt(1, 1);
            assertThat(label(first)).isEqualTo("one");
            var underlying = h2(first);
            first.close();

            var second = connection.prepareStatement(LOCK);
            assertThat(h2(second)).isSameAs(underlying);
            assertThatThrownBy(second::executeQuery).as("the last use's parameter is gone").isInstanceOf(SQLException.class);
            second.setInt(1, 2);
            assertThat(label(second)).isEqualTo("two");
            second.close();
            connection.commit();
        }
    }

    @Test
    void theSameSqlPreparedWhileItsStatementIsInUseGetsOneOfItsOwn() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            var first = connection.prepareStatement(LOCK);
            var second = connection.prepareStatement(LOCK);
            assertThat(h2(second)).isNotSameAs(h2(first));
            first.setInt(1, 1);
            second.setInt(1, 2);
            assertThat(label(first)).isEqualTo("one");
            assertThat(label(second)).isEqualTo("two");
            var kept = h2(first);
            var own = h2(second);
            second.close();
            first.close();

            assertThat(own.isClosed()).as("the second, not kept, closed for real").isTrue();
            assertThat(kept.isClosed()).isFalse();
            try (var third = connection.prepareStatement(LOCK)) {
                assertThat(h2(third)).isSameAs(kept);
            }
        }
    }

    @Test
    void aStatementWhoseSettingsChangedIsClosedNotKept() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            var first = connection.prepareStatement(LOCK);
            first.setMaxRows(1);
            var underlying = h2(first);
            first.close();
            assertThat(underlying.isClosed()).isTrue();

            try (var second = connection.prepareStatement(LOCK)) {
                assertThat(h2(second)).isNotSameAs(underlying);
                assertThat(second.getMaxRows()).as("the next user does not inherit the setting").isZero();
            }
            try (var third = connection.prepareStatement(LOCK)) {
                assertThat(h2(third).isClosed()).isFalse();
            }
        }
    }

    @Test
    void aStatementClosedUnderneathIsNotHandedOutAgain() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            var first = connection.prepareStatement(LOCK);
            h2(first).close();
            first.close();

            try (var second = connection.prepareStatement(LOCK)) {
                second.setInt(1, 1);
                assertThat(label(second)).isEqualTo("one");
            }
        }
    }

    @Test
    void otherStatementsAreClosedAsUsual() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            var first = connection.prepareStatement("select label from item where id = ?");
            var underlying = first.unwrap(JdbcPreparedStatement.class);
            first.close();
            assertThat(underlying.isClosed()).isTrue();
            try (var second = connection.prepareStatement("select label from item where id = ?")) {
                assertThat(second.unwrap(JdbcPreparedStatement.class)).isNotSameAs(underlying);
            }
        }
    }

    @Test
    void aStatementGivenBackCannotBeUsedThroughTheHandThatGaveItBack() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            var statement = connection.prepareStatement(LOCK);
            statement.close();
            assertThat(statement.isClosed()).isTrue();
            assertThatThrownBy(() -> statement.setInt(1, 1)).isInstanceOf(SQLException.class);
            assertThatThrownBy(statement::executeQuery).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void whatAConnectionKeptIsClosedWithIt() throws SQLException {
        var connection = dataSource.getConnection();
        var statement = connection.prepareStatement(LOCK);
        var underlying = h2(statement);
        statement.close();
        assertThat(underlying.isClosed()).isFalse();

        connection.close();

        assertThat(underlying.isClosed()).isTrue();
    }

    @Test
    void theLeastRecentlyUsedIsClosedPastTheNumberKept() throws SQLException {
        try (var connection = dataSource.getConnection()) {
            var underlying = new ArrayList<JdbcPreparedStatement>();
            for (int i = 0; i <= H2LockingStatements.KEPT_PER_CONNECTION; i++) {
                try (var statement = connection.prepareStatement(LOCK + " /* " + i + " */")) {
                    underlying.add(h2(statement));
                }
            }
            assertThat(underlying.getFirst().isClosed()).isTrue();
            assertThat(underlying.subList(1, underlying.size())).noneMatch(JdbcPreparedStatementClosed::closed);
        }
    }

    @Test
    void rowsLockedThroughAKeptStatementStayLockedUntilTheCommit() throws SQLException {
        try (var holder = dataSource.getConnection(); var other = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            other.setAutoCommit(false);
            // the kept statement is used a second time: that use's lock must hold as the first one's did
            for (int i = 0; i < 2; i++) {
                try (var lock = holder.prepareStatement(LOCK)) {
                    lock.setInt(1, 1);
                    assertThat(label(lock)).isEqualTo("one");
                }
            }
            try (var skip = other.prepareStatement(SKIP_LOCKED); var rows = skip.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).as("row 1 is held by the other transaction").isEqualTo(2);
                assertThat(rows.next()).isFalse();
            }
            other.rollback();
            holder.commit();
            try (var skip = other.prepareStatement(SKIP_LOCKED); var rows = skip.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).as("released at the commit").isEqualTo(1);
            }
            other.rollback();
        }
    }

    @Test
    void locksWrittenOnALineOfTheirOwnOrInCapitalsAreLocking() {
        assertThat(H2LockingStatements.locking("select id from item\nfor update skip locked")).isTrue();
        assertThat(H2LockingStatements.locking("SELECT id FROM item FOR UPDATE")).isTrue();
        assertThat(H2LockingStatements.locking("update item set label = 'for update' where id = 1")).isFalse();
        assertThat(H2LockingStatements.locking("select id from item")).isFalse();
    }

    private static String label(PreparedStatement statement) throws SQLException {
        try (var rows = statement.executeQuery()) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    private static JdbcPreparedStatement h2(PreparedStatement statement) throws SQLException {
        return statement.unwrap(JdbcPreparedStatement.class);
    }

    private interface JdbcPreparedStatementClosed {
        static boolean closed(JdbcPreparedStatement statement) {
            try {
                return statement.isClosed();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
