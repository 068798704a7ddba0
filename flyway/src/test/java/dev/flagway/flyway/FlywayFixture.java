package dev.flagway.flyway;

import dev.flagway.testing.ScratchTables;
import dev.flagway.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** A table of 200 users, a folder of SQL migrations and a schema-history table of its own, on one server. */
final class FlywayFixture implements AutoCloseable {
    final TestDatabase db;
    final DataSource dataSource;
    final String table = TestDatabase.uniqueName("fw_users");
    final String history = table + "_history";
    final Path dir;
    private final ScratchTables sql;

    FlywayFixture(TestDatabase db) {
        this.db = db;
        this.dataSource = db.dataSource();
        this.sql = new ScratchTables(db, dataSource);
        try {
            this.dir = Files.createTempDirectory("flagway-flyway");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        exec("create table " + table + " (id int primary key, email varchar(200))");
        exec("insert into " + table + " (id, email) select n, concat(' User', n, '@Example.com ') from ("
                + numbers(200) + ") s");
        dropTables(table, history);
    }

    /** Another table to drop at the end. */
    void dropTables(String... names) {
        sql.dropLater(names);
    }

    static String numbers(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            s.append(i == 1 ? "select " : " union all select ").append(i).append(i == 1 ? " as n" : "");
        }
        return s.toString();
    }

    void sql(String file, String content) {
        try {
            Files.writeString(dir.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flyway on this fixture's folder and history table, baselined at 0 (the schema is not empty). */
    FluentConfiguration flyway() {
        return Flyway.configure().dataSource(dataSource).locations("filesystem:" + dir).table(history)
                .baselineOnMigrate(true).baselineVersion("0");
    }

    /** The history rows of {@code version}: {@code true} for a success, {@code false} for a failure. */
    List<Boolean> historyOf(String version) {
        List<Boolean> rows = new ArrayList<>();
        if (!tableExists(history)) {
            return rows;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select success from " + history + " where version = ?")) {
            s.setString(1, version);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getBoolean(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    boolean columnExists(String column) {
        return sql.columnExists(table, column);
    }

    boolean tableExists(String name) {
        return sql.tableExists(name);
    }

    long count(String query) {
        return sql.count(query);
    }

    void exec(String statement) {
        sql.exec(statement);
    }

    @Override
    public void close() {
        sql.close();
    }
}
