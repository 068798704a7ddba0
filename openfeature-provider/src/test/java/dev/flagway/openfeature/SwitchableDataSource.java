package dev.flagway.openfeature;

import dev.flagway.internal.DelegatingDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/** A data source that can be switched to refuse connections, like a database that went away. */
final class SwitchableDataSource extends DelegatingDataSource {
    private final AtomicBoolean down = new AtomicBoolean();

    SwitchableDataSource(DataSource delegate) {
        super(delegate);
    }

    void goDown() {
        down.set(true);
    }

    void comeBack() {
        down.set(false);
    }

    @Override
    public Connection getConnection() throws SQLException {
        refuseWhenDown();
        return super.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        refuseWhenDown();
        return super.getConnection(username, password);
    }

    private void refuseWhenDown() throws SQLException {
        if (down.get()) {
            throw new SQLException("Connection refused (test: database is down)", "08001");
        }
    }
}
