package dev.flagway.mysql;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A data source that remembers the connection id of every connection it hands out, so a test can KILL its own. */
final class RecordingDataSource implements DataSource {
    private final DataSource delegate;
    private final List<Long> ids = new CopyOnWriteArrayList<>();

    RecordingDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** The ids handed out so far, oldest first. */
    List<Long> ids() {
        return List.copyOf(ids);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = delegate.getConnection();
        ids.add(Sql.connectionId(c));
        return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("tests use the configured user");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
