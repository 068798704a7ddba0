package dev.flagway.mysql;

import dev.flagway.internal.DelegatingDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/** A data source that remembers the connection id of every connection it hands out, so a test can KILL its own. */
final class RecordingDataSource extends DelegatingDataSource {
    private final List<Long> ids = new CopyOnWriteArrayList<>();

    RecordingDataSource(DataSource delegate) {
        super(delegate);
    }

    /** The ids handed out so far, oldest first. */
    List<Long> ids() {
        return List.copyOf(ids);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = super.getConnection();
        ids.add(Sql.connectionId(c));
        return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("tests use the configured user");
    }
}
