package dev.flagway.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A data source ({@link #dataSource()}) whose connections run a test's action at an exact moment: just before the n-th
 * statement whose SQL matches a pattern, or just before the commit that follows it. The action gets
 * the connection about to run it (the driver's own, not a wrapper), typically to kill its session
 * from another one; the statement or commit then runs and meets whatever the action did. This makes
 * "the connection dies during the update batch" a deterministic test instead of a race.
 */
public final class TrapDataSource {
    private static final Set<String> EXECUTES = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");

    private final DataSource target;
    private volatile Trap trap;

    /** A data source over {@code target}, with no trap set. */
    public TrapDataSource(DataSource target) {
        this.target = target;
    }

    /**
     * Runs {@code action} once, before the {@code occurrence}-th statement (counting from 1) whose SQL,
     * in lower case, contains a match of {@code sqlRegex}.
     */
    public void beforeStatement(String sqlRegex, int occurrence, Consumer<Connection> action) {
        trap = new Trap(Pattern.compile(sqlRegex), occurrence, false, action);
    }

    /**
     * Runs {@code action} once, before the commit of the transaction that ran the {@code occurrence}-th
     * statement whose SQL, in lower case, contains a match of {@code sqlRegex}.
     */
    public void beforeCommitAfter(String sqlRegex, int occurrence, Consumer<Connection> action) {
        trap = new Trap(Pattern.compile(sqlRegex), occurrence, true, action);
    }

    /** Whether the action ran. */
    public boolean fired() {
        Trap t = trap;
        return t != null && t.fired;
    }

    /** The data source to hand to the code under test: its connections are watched. */
    public DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = call(target, method, args);
                    return result instanceof Connection connection ? wrap(connection) : result;
                });
    }

    private Connection wrap(Connection connection) {
        ConnectionHandler handler = new ConnectionHandler(connection);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                handler);
    }

    /** Where the action runs, and whether it did. */
    private static final class Trap {
        final Pattern sql;
        final int occurrence;
        final boolean atCommit;
        final Consumer<Connection> action;
        final AtomicInteger seen = new AtomicInteger();
        volatile boolean fired;

        Trap(Pattern sql, int occurrence, boolean atCommit, Consumer<Connection> action) {
            this.sql = sql;
            this.occurrence = occurrence;
            this.atCommit = atCommit;
            this.action = action;
        }
    }

    /** A connection's calls: statements it creates are wrapped, commits are watched. */
    private final class ConnectionHandler implements InvocationHandler {
        private final Connection connection;
        /** The trap whose statement this connection ran and whose commit is next. */
        private Trap armedCommit;

        ConnectionHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("commit") && armedCommit != null) {
                Trap t = armedCommit;
                armedCommit = null;
                fire(t);
            }
            Object result = call(connection, method, args);
            if (result instanceof Statement statement && (name.equals("prepareStatement") || name.equals("prepareCall")
                    || name.equals("createStatement"))) {
                String sql = name.equals("createStatement") ? null : (String) args[0];
                Class<?> type = name.equals("createStatement") ? Statement.class
                        : name.equals("prepareCall") ? java.sql.CallableStatement.class : java.sql.PreparedStatement.class;
                return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {type},
                        (p, m, a) -> {
                            if (EXECUTES.contains(m.getName())) {
                                beforeExecute(sql != null ? sql : a != null && a.length > 0 && a[0] instanceof String s
                                        ? s : "");
                            }
                            return call(statement, m, a);
                        });
            }
            return result;
        }

        private void beforeExecute(String sql) {
            Trap t = trap;
            if (t == null || t.fired || !t.sql.matcher(sql.toLowerCase(Locale.ROOT)).find()
                    || t.seen.incrementAndGet() != t.occurrence) {
                return;
            }
            if (t.atCommit) {
                armedCommit = t;
            } else {
                fire(t);
            }
        }

        private void fire(Trap t) {
            t.fired = true;
            t.action.accept(connection);
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
