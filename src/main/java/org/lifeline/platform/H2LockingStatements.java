package org.lifeline.platform;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * H2's connections, each keeping its {@code for update} statements prepared for the next use.
 * <p>
 * H2 keeps each session's parsed statements ({@code QUERY_CACHE_SIZE}) but never one that locks rows
 * ({@code Select.isCacheable}: {@code forUpdate == null}), so it parsed and planned the contact's, the flow session's
 * and the claimed updates' locking reads again at every update: 4–5% of the inbound workers' time in a drain
 * (BENCHMARKS.md). A statement prepared once may be executed any number of times (JDBC), so each physical connection
 * here keeps the statements it prepared for such SQL, and a statement the pool's user closes goes back to it, its
 * parameters cleared, instead of being closed. Only while that statement is not in use: SQL prepared again before the
 * first is closed gets a statement of its own. A statement whose settings were changed (a setter of one argument:
 * its maximum rows, fetch size, time-out and the like, which JDBC keeps on the statement) is closed as usual, so the
 * next user never inherits them. PostgreSQL's driver keeps prepared statements itself; this is for H2 alone.
 */
final class H2LockingStatements implements DataSource {

    /** Locking statements kept per connection; the {@code in (?, …)} lists make a few variants of each. */
    static final int KEPT_PER_CONNECTION = 64;

    private final DataSource physical;

    H2LockingStatements(DataSource physical) {
        this.physical = physical;
    }

    /**
     * Whether H2 would parse this SQL again at each prepare: it locks rows ({@code for update}, written in lower or
     * upper case, after a space or a line break). Asked at every prepare, so two searches rather than a pattern; SQL
     * that locks written otherwise is only not kept.
     */
    static boolean locking(String sql) {
        return locking(sql, sql.indexOf("for update")) || locking(sql, sql.indexOf("FOR UPDATE"));
    }

    private static boolean locking(String sql, int at) {
        return at > 0 && Character.isWhitespace(sql.charAt(at - 1));
    }

    @Override
    public Connection getConnection() throws SQLException {
        return keeping(physical.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return keeping(physical.getConnection(username, password));
    }

    private static Connection keeping(Connection connection) {
        return (Connection) Proxy.newProxyInstance(H2LockingStatements.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new KeepingConnection(connection));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return physical.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        physical.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        physical.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return physical.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return physical.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : physical.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || physical.isWrapperFor(iface);
    }

    /** One physical connection and the locking statements it keeps, used by one thread at a time (the pool's). */
    private static final class KeepingConnection implements InvocationHandler {

        private final Connection connection;
        private final Map<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
                if (size() <= KEPT_PER_CONNECTION) {
                    return false;
                }
                eldest.getValue().evicted();
                return true;
            }
        };

        KeepingConnection(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            var name = method.getName();
            if (name.equals("prepareStatement") && args.length == 1 && args[0] instanceof String sql && locking(sql)) {
                return prepare(sql);
            }
            if (name.equals("close")) {
                // by its user's thread, or the pool's when idle; an abort (the pool shutting down, perhaps while it
                // is in use on another thread) ends the session, and H2 closes its statements with it
                forgetAll();
            }
            if (name.equals("equals") || name.equals("hashCode")) {
                return identity(proxy, method, args);
            }
            return call(connection, method, args);
        }

        private PreparedStatement prepare(String sql) throws SQLException {
            var statement = kept.get(sql);
            if (statement == null || statement.inUse || !statement.keep) {
                var fresh = new Kept(connection.prepareStatement(sql));
                if (statement != null && statement.inUse && statement.keep) {
                    // the kept one is in use (the same SQL again before it was closed): this one is closed after use
                    fresh.keep = false;
                } else {
                    // none yet, or the one kept had its settings changed and is closed (or will be, once given back)
                    kept.put(sql, fresh);
                }
                statement = fresh;
            }
            statement.inUse = true;
            return statement.proxy;
        }

        private void forgetAll() {
            for (var statement : kept.values()) {
                statement.evicted();
            }
            kept.clear();
        }
    }

    /** A kept statement, handed out as a proxy whose {@code close} gives it back. */
    private static final class Kept implements InvocationHandler {

        private final PreparedStatement statement;
        private final PreparedStatement proxy;
        private boolean inUse;
        /** False once evicted, or when its settings changed: closed for real when it is given back. */
        private boolean keep = true;

        Kept(PreparedStatement statement) {
            this.statement = statement;
            this.proxy = (PreparedStatement) Proxy.newProxyInstance(H2LockingStatements.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            var name = method.getName();
            switch (name) {
                case "close" -> {
                    giveBack();
                    return null;
                }
                case "isClosed" -> {
                    return !inUse || statement.isClosed();
                }
                case "unwrap" -> {
                    if (((Class<?>) args[0]).isInstance(statement)) {
                        return statement;
                    }
                }
                case "equals", "hashCode" -> {
                    return identity(proxy, method, args);
                }
                case "closeOnCompletion" -> keep = false;
                default -> {
                    if (name.startsWith("set") && args != null && args.length == 1) {
                        // a setting of the statement itself, not a parameter (those take an index first)
                        keep = false;
                    }
                }
            }
            if (!inUse) {
                throw new SQLException("The statement is closed", "HY010");
            }
            return call(statement, method, args);
        }

        private void giveBack() throws SQLException {
            if (!inUse) {
                return;
            }
            inUse = false;
            if (!keep || statement.isClosed()) {
                // closed underneath too (through unwrap): the next prepare makes another
                keep = false;
                statement.close();
                return;
            }
            try {
                statement.clearParameters();
                statement.clearBatch();
                statement.clearWarnings();
            } catch (SQLException e) {
                keep = false;
                statement.close();
            }
        }

        /** No longer kept: closed now if free, or when given back. */
        void evicted() {
            keep = false;
            if (!inUse) {
                try {
                    statement.close();
                } catch (SQLException e) {
                    // its connection is closing or gone; H2 closes its statements with it
                }
            }
        }
    }

    /** A proxy is equal to itself alone, as the objects it stands for are. */
    private static Object identity(Object proxy, Method method, Object[] args) {
        return method.getName().equals("equals") ? proxy == args[0] : System.identityHashCode(proxy);
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * Puts {@link H2LockingStatements} under the application's pool when its database is H2: the pool then opens
     * its physical connections as it would have (its own {@link DriverDataSource}, the same URL and credentials).
     */
    static final class UnderThePool implements BeanPostProcessor {

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (bean instanceof HikariDataSource pool && pool.getDataSource() == null && pool.getJdbcUrl() != null
                    && pool.getJdbcUrl().startsWith("jdbc:h2:")) {
                pool.setDataSource(new H2LockingStatements(new DriverDataSource(pool.getJdbcUrl(),
                        pool.getDriverClassName(), pool.getDataSourceProperties(), pool.getUsername(),
                        pool.getPassword())));
            }
            return bean;
        }
    }
}
