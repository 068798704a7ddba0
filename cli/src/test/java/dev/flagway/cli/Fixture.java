package dev.flagway.cli;

import dev.flagway.Stage;
import dev.flagway.openfeature.FlagAdmin;
import dev.flagway.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A users table of its own on one server, a migration of its email column configured in a
 * properties file, and the migration's flag in the database-backed provider's tables.
 */
final class Fixture implements AutoCloseable {
    final TestDatabase server;
    final DataSource dataSource;
    final String table;
    final String migration;
    final Path config;
    final FlagAdmin flags;

    Fixture(TestDatabase server, Path dir, int rows) throws SQLException {
        this.server = server;
        this.dataSource = server.dataSource();
        this.table = TestDatabase.uniqueName("cli_users");
        this.migration = table.replace('_', '-');
        execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, email VARCHAR(320), email_new VARCHAR(320))");
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (id, email) VALUES (?, ?)")) {
            for (int i = 1; i <= rows; i++) {
                insert.setLong(1, i);
                insert.setString(2, "user" + i + "@example.com");
                insert.addBatch();
            }
            insert.executeBatch();
        }
        this.config = Cli.properties(dir, migration + ".properties",
                "# an application's properties: other keys are ignored",
                "server.port=8080",
                "flagway.migrations." + migration + ".table=" + table,
                "flagway.migrations." + migration + ".key-column=id",
                "flagway.migrations." + migration + ".legacy-column=email",
                "flagway.migrations." + migration + ".new-column=email_new");
        this.flags = FlagAdmin.create(dataSource);
        flags.createTables();
        flags.createMigrationFlag(migration, Stage.DUAL_WRITE, "alice", "expand done");
    }

    /** The connection arguments of this server, then {@code args}. */
    String[] args(String... args) {
        TestDatabase.Endpoint e = server.endpoint();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--jdbc-url", e.url(), "--user", e.user()));
        if (!e.password().isEmpty()) {
            all.add("--password=" + e.password());
        }
        return all.toArray(String[]::new);
    }

    void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    long count(String where) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        execute("DROP TABLE IF EXISTS " + table);
    }
}
