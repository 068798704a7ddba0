package dev.flagway.cli;

import dev.flagway.Stage;
import dev.flagway.openfeature.FlagAdmin;
import dev.flagway.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A users table of its own on one server, a migration of its email column configured in a
 * properties file, and the migration's flag in the database-backed provider's tables; or, declared
 * for the lifecycle, the table before its expand (no new column, no flag) and a migration with its
 * {@code new-column-type} and {@code transform-sql lower(email)}.
 */
final class Fixture implements AutoCloseable {
    final TestDatabase server;
    final DataSource dataSource;
    final String table;
    final String migration;
    final Path config;
    final FlagAdmin flags;
    private final Path dir;
    private final List<String> properties;

    Fixture(TestDatabase server, Path dir, int rows) throws SQLException {
        this(server, dir, rows, false);
    }

    /** With {@code declared}, the migration is declared for the lifecycle and nothing is expanded yet. */
    Fixture(TestDatabase server, Path dir, int rows, boolean declared) throws SQLException {
        this.server = server;
        this.dir = dir;
        this.dataSource = server.dataSource();
        this.table = TestDatabase.uniqueName("cli_users");
        this.migration = table.replace('_', '-');
        execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, email VARCHAR(320)"
                + (declared ? "" : ", email_new VARCHAR(320)") + ")");
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (id, email) VALUES (?, ?)")) {
            for (int i = 1; i <= rows; i++) {
                insert.setLong(1, i);
                insert.setString(2, declared ? "User" + i + "@Example.COM" : "user" + i + "@example.com");
                insert.addBatch();
            }
            insert.executeBatch();
        }
        List<String> lines = new ArrayList<>(List.of(
                "# an application's properties: other keys are ignored",
                "server.port=8080",
                "flagway.migrations." + migration + ".table=" + table,
                "flagway.migrations." + migration + ".key-column=id",
                "flagway.migrations." + migration + ".legacy-column=email",
                "flagway.migrations." + migration + ".new-column=email_new"));
        if (declared) {
            lines.add("flagway.migrations." + migration + ".new-column-type=varchar(320)");
            lines.add("flagway.migrations." + migration + ".transform-sql=lower(email)");
        }
        this.properties = List.copyOf(lines);
        this.config = properties(migration + ".properties");
        this.flags = FlagAdmin.create(dataSource);
        flags.createTables();
        if (!declared) {
            flags.createMigrationFlag(migration, Stage.DUAL_WRITE, "alice", "expand done");
        }
    }

    /** Another properties file: the migration's, then {@code keySuffix=value} lines of it, e.g. {@code contract.business-cycle=1s}. */
    Path properties(String name, String... migrationKeys) {
        List<String> lines = new ArrayList<>(properties);
        for (String key : migrationKeys) {
            lines.add("flagway.migrations." + migration + "." + key);
        }
        return Cli.properties(dir, name, lines.toArray(String[]::new));
    }

    /** The connection arguments of this server, then {@code args}. */
    String[] args(String... args) {
        return args(config, args);
    }

    /** The connection arguments of this server with properties file {@code properties}, then {@code args}. */
    String[] args(Path properties, String... args) {
        TestDatabase.Endpoint e = server.endpoint();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", properties.toString(), "--jdbc-url", e.url(), "--user", e.user()));
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

    /** The number of columns of the table. */
    int columns() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE id = 1")) {
            return rs.getMetaData().getColumnCount();
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
