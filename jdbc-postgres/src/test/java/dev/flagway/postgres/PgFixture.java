package dev.flagway.postgres;

import dev.flagway.Migration;
import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** A per-test users table on the shared PostgreSQL, with its own migration id and bookkeeping tables. */
final class PgFixture implements AutoCloseable {
    final DataSource dataSource = TestDatabase.POSTGRES.dataSource();
    final String table = TestDatabase.uniqueName("users");
    final String checkpointTable = table + "_ckpt";
    final String repairTable = table + "_repair";
    final String badRowTable = table + "_bad";
    final String auditTable = table + "_audit";
    final String verificationTable = table + "_verif";
    final String fallbackTable = table + "_fallback";
    final Migration migration = Migration.builder(table.replace('_', '-'))
            .table(table).keyColumn("id").legacyColumn("email").newColumn("email_normalized")
            .transform(e -> e == null ? null : e.toString().trim().toLowerCase())
            .build();
    private final List<String> extraDrops = new ArrayList<>();

    /** Creates the table with {@code rows} rows and, when asked, the nullable new column. */
    PgFixture(int rows, boolean withNewColumn) {
        exec("create table " + table + " (id bigint primary key, email varchar(320), touches int not null default 0"
                + (withNewColumn ? ", email_normalized varchar(320)" : "") + ")");
        exec("insert into " + table + " (id, email) select g, ' User' || g || '@Example.COM' from generate_series(1, "
                + rows + ") g");
        exec("analyze " + table);
    }

    void dropAlso(String sql) {
        extraDrops.add(sql);
    }

    void exec(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    long count(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Terminates this test's sessions tagged {@code tag} (their application_name), waiting up to 5 s
     * for each to be gone; returns how many were terminated.
     */
    long terminate(String tag) {
        // The call stays in the select list over a subquery that is never flattened: in a WHERE clause
        // PostgreSQL may call it before the other conditions, on every session of the server.
        return count("select count(pg_terminate_backend(pid, 5000)) from (select pid from pg_stat_activity"
                + " where application_name = '" + tag + "' and pid <> pg_backend_pid() offset 0) tagged");
    }

    @Override
    public void close() {
        extraDrops.forEach(this::exec);
        for (String t : List.of(table, checkpointTable, repairTable, badRowTable, auditTable, verificationTable, fallbackTable)) {
            exec("drop table if exists " + t);
        }
    }
}
