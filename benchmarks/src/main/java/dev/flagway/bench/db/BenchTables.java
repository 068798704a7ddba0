package dev.flagway.bench.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * The tables of one harness run, all named {@code bench_<random>...} so that runs and other
 * people's tests on the same server never meet: the users table, the provider's flag and audit
 * tables and the repair table. {@link #close()} drops them all.
 */
public final class BenchTables implements AutoCloseable {
    private final DataSource dataSource;
    private final String prefix;
    private final List<String> created = new ArrayList<>();

    /** Names for a new run; nothing is created yet. */
    public BenchTables(DataSource dataSource) {
        this.dataSource = dataSource;
        this.prefix = "bench_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36)
                .toLowerCase(Locale.ROOT);
    }

    /** The users table. */
    public String users() {
        return prefix;
    }

    /** The prefix of the provider's tables ({@code <prefix>_flags}, {@code <prefix>_flag_audit}). */
    public String flagTablePrefix() {
        return prefix + "_";
    }

    /** The repair table. */
    public String repair() {
        return prefix + "_repair";
    }

    /** The bad-row table. */
    public String badRows() {
        return prefix + "_bad_rows";
    }

    /** Every table this run may create, to drop. */
    private List<String> all() {
        return List.of(users(), flagTablePrefix() + "flag_audit", flagTablePrefix() + "flags", repair(), badRows());
    }

    /**
     * Creates the users table ({@code id} key, {@code email} legacy, {@code email_normalized} new)
     * with {@code rows} rows, ids 1..rows, both columns filled.
     */
    public void createUsers(int rows, boolean fillNewColumn) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table " + users() + " (id bigint primary key, email varchar(255) not null,"
                    + " email_normalized varchar(255))");
            created.add(users());
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into " + users()
                    + " (id, email, email_normalized) values (?, ?, ?)")) {
                for (int id = 1; id <= rows; id++) {
                    String email = "User." + id + "@Example.com";
                    ps.setLong(1, id);
                    ps.setString(2, email);
                    ps.setString(3, fillNewColumn ? email.toLowerCase(Locale.ROOT) : null);
                    ps.addBatch();
                    if (id % 5000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(autoCommit);
            s.execute(analyzeStatement());
        }
    }

    private String analyzeStatement() {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                return "analyze " + users();
            }
            if (product.contains("mariadb") || product.contains("mysql")) {
                return "analyze table " + users();
            }
            return "select 1";
        } catch (SQLException e) {
            return "select 1";
        }
    }

    /** Drops every table of the run that exists; never throws. */
    @Override
    public void close() {
        for (String table : all()) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("drop table if exists " + table);
            } catch (SQLException e) {
                System.err.println("could not drop " + table + ": " + e.getMessage());
            }
        }
    }
}
