package dev.flagway.bench.db;

import dev.flagway.internal.DelegatingDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A data source that measures how long each connection it hands out is held, from
 * {@code getConnection()} to {@code close()}: for a reader that opens one connection per chunk, the
 * longest hold bounds its longest transaction, and so the longest snapshot it keeps open.
 */
final class HoldTimer extends DelegatingDataSource {
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong longestNanos = new AtomicLong();

    HoldTimer(DataSource target) {
        super(target);
    }

    /** Connections handed out since the last {@link #reset()}. */
    long connections() {
        return connections.get();
    }

    /** The longest hold since the last {@link #reset()}, in milliseconds. */
    double longestMillis() {
        return longestNanos.get() / 1e6;
    }

    void reset() {
        connections.set(0);
        longestNanos.set(0);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = super.getConnection();
        long opened = System.nanoTime();
        connections.incrementAndGet();
        boolean[] closed = {false};
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && !closed[0]) {
                        closed[0] = true;
                        longestNanos.accumulateAndGet(System.nanoTime() - opened, Math::max);
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
