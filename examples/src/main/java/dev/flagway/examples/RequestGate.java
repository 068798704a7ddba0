package dev.flagway.examples;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Holds requests back while H2 changes the table. H2 has no online DDL: its ALTER TABLE rebuilds the
 * table, and statements running meanwhile fail ("table not found") or, worse, commit into the old
 * copy and are lost. On H2 the demo therefore runs each DDL statement alone, for the few milliseconds
 * it takes (the lifecycle's other statements, such as the backfill's batches, run beside the requests);
 * PostgreSQL and MySQL/MariaDB change tables online and get no gate.
 */
final class RequestGate {
    private static final Pattern DDL = Pattern.compile("\\s*(alter|create|drop)\\s", Pattern.CASE_INSENSITIVE);

    private final boolean enabled;
    private final ReadWriteLock lock = new ReentrantReadWriteLock(true);

    private RequestGate(boolean enabled) {
        this.enabled = enabled;
    }

    /** A gate for {@code kind}: closing only on H2. */
    static RequestGate forDatabase(DemoDatabase.Kind kind) {
        return new RequestGate(kind == DemoDatabase.Kind.H2);
    }

    /** A gate that never closes. */
    static RequestGate none() {
        return new RequestGate(false);
    }

    /** Runs one request, unless a DDL statement is running alone. */
    <T> T request(Supplier<T> request) {
        if (!enabled) {
            return request.get();
        }
        lock.readLock().lock();
        try {
            return request.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * {@code dataSource}, whose DDL statements ({@code alter}, {@code create}, {@code drop}) each run alone
     * when this gate closes (on H2); hand it to the migration's lifecycle.
     */
    DataSource ddlDataSource(DataSource dataSource) {
        if (!enabled) {
            return dataSource;
        }
        return proxy(DataSource.class, dataSource, (method, result) ->
                result instanceof Connection ? proxy(Connection.class, (Connection) result, (m, r) ->
                        r instanceof Statement ? alone((Statement) r) : r) : result);
    }

    private Statement alone(Statement statement) {
        Class<?> type = statement instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
        return (Statement) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            boolean executes = method.getName().startsWith("execute") && args != null && args.length > 0
                    && args[0] instanceof String sql && DDL.matcher(sql).lookingAt();
            if (executes) {
                lock.writeLock().lock();
            }
            try {
                return method.invoke(statement, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (executes) {
                    lock.writeLock().unlock();
                }
            }
        });
    }

    private static <T> T proxy(Class<T> type, T target, ResultWrapper wrap) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            try {
                return wrap.apply(method, method.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    /** Wraps what a proxied method returned. */
    @FunctionalInterface
    private interface ResultWrapper {
        Object apply(Method method, Object result);
    }
}
