package dev.flagway.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of the lint corpus ({@link LintCorpus}) on the real server, which proves the
 * corpus is SQL the server runs and proves each case's claims: on PostgreSQL that the last statement
 * rewrites a table (its relfilenode changes), holds a given lock, or fails; on MariaDB and MySQL 8
 * that it runs, or is refused, with {@code ALGORITHM=INPLACE, LOCK=NONE}. {@link SqlLintCorpusTest}
 * checks that the claims agree with the linter's verdicts.
 *
 * <p>PostgreSQL cases run in a schema of their own (schemas their setup creates are dropped after
 * them), the last statement in a transaction that is rolled back. MySQL-family cases run in the test database on tables named {@code lint_*}, dropped
 * before and after each case. The endpoint of {@link TestDatabase#MARIADB} runs the MariaDB corpus,
 * or the MySQL 8 one when it is a MySQL server; when test-support offers MySQL 8 as its own database,
 * add a factory that runs {@code mysqlFamily(ServerKind.MYSQL, thatDatabase)}.
 */
class SqlLintCorpusServerTest {
    private static final Pattern CREATED_SCHEMA = Pattern.compile("(?i)CREATE SCHEMA (?:IF NOT EXISTS )?(\\w+)");
    private static final Pattern NON_TRANSACTIONAL = Pattern.compile("(?is)^VACUUM\\b.*|.*\\bCONCURRENTLY\\b.*");
    /** ER_ALTER_OPERATION_NOT_SUPPORTED and ER_ALTER_OPERATION_NOT_SUPPORTED_REASON. */
    private static final List<Integer> REFUSED_ONLINE = List.of(1845, 1846);
    private static final List<String> LOCK_MODES = List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock",
            "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock");

    @TestFactory
    Stream<DynamicTest> postgresql() {
        DataSource db = TestDatabase.POSTGRES.dataSource();
        return LintCorpus.cases(ServerKind.POSTGRESQL).stream().map(c -> dynamicTest(c.toString(), () -> postgres(db, c)));
    }

    @TestFactory
    Stream<DynamicTest> mariadbOrMysql() throws SQLException {
        DataSource db = TestDatabase.MARIADB.dataSource();
        ServerKind server;
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet version = s.executeQuery("SELECT VERSION()")) {
            version.next();
            server = version.getString(1).contains("MariaDB") ? ServerKind.MARIADB : ServerKind.MYSQL;
        }
        return mysqlFamily(server, db);
    }

    private static Stream<DynamicTest> mysqlFamily(ServerKind server, DataSource db) {
        return LintCorpus.cases(server).stream().map(c -> dynamicTest(c.toString(), () -> mysql(db, c)));
    }

    // --- PostgreSQL -------------------------------------------------------------------------------

    private static void postgres(DataSource db, LintCorpus.Case c) throws SQLException {
        List<String> statements = c.statements();
        String last = statements.get(statements.size() - 1);
        boolean inTransaction = !NON_TRANSACTIONAL.matcher(last).matches();
        assertThat(inTransaction || c.claim("lock") == null).as("%s claims a lock of a statement that cannot run "
                + "in a transaction", c).isTrue();
        String schema = TestDatabase.uniqueName("lint");
        try (Connection conn = db.getConnection(); Statement s = conn.createStatement()) {
            s.execute("SET synchronous_commit TO off"); // this session's commits need not wait for the disk
            s.execute("CREATE SCHEMA " + schema);
            try {
                s.execute("SET search_path TO " + schema + ", public");
                for (String sql : before(c, statements)) {
                    s.execute(sql);
                }
                Map<String, Long> files = relfilenodes(conn, schema);
                conn.setAutoCommit(!inTransaction);
                SQLException error = null;
                try {
                    s.execute(last);
                } catch (SQLException e) {
                    error = e;
                }
                Map<String, String> locks = inTransaction && error == null ? strongestLocks(conn, schema) : Map.of();
                Map<String, Long> after = error == null ? relfilenodes(conn, schema) : files;
                if (inTransaction) {
                    conn.rollback();
                    conn.setAutoCommit(true);
                }
                checkError(c, error);
                String rewrite = c.claim("rewrite");
                if (rewrite != null) {
                    boolean rewritten = files.keySet().stream()
                            .anyMatch(t -> after.containsKey(t) && !after.get(t).equals(files.get(t)));
                    assertThat(rewritten).as("%s rewrites a table", c).isEqualTo(rewrite.equals("yes"));
                }
                String lock = c.claim("lock");
                if (lock != null) {
                    String[] tableAndMode = lock.split("\\s+");
                    assertThat(locks.get(tableAndMode[0])).as("%s: strongest lock on %s", c, tableAndMode[0])
                            .isEqualTo(tableAndMode[1]);
                }
            } finally {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
                for (String sql : c.setup()) {
                    Matcher created = CREATED_SCHEMA.matcher(sql);
                    if (created.matches()) {
                        s.execute("DROP SCHEMA IF EXISTS " + created.group(1) + " CASCADE");
                    }
                }
            }
        }
    }

    private static List<String> before(LintCorpus.Case c, List<String> statements) {
        List<String> before = new ArrayList<>(LintCorpus.setup(c.server()));
        before.addAll(c.setup());
        before.addAll(statements.subList(0, statements.size() - 1));
        return before;
    }

    private static void checkError(LintCorpus.Case c, SQLException error) {
        String expected = c.claim("error");
        if (expected == null && error != null) {
            fail("%s: the server refused its last statement: %s", c, error.getMessage());
        }
        if (expected != null) {
            assertThat(error == null ? "no error" : error.getSQLState()).as("%s fails with SQLSTATE", c)
                    .isEqualTo(expected);
        }
    }

    private static Map<String, Long> relfilenodes(Connection conn, String schema) throws SQLException {
        Map<String, Long> files = new HashMap<>();
        try (PreparedStatement q = conn.prepareStatement("SELECT relname, relfilenode FROM pg_class "
                + "WHERE relnamespace = ?::regnamespace AND relkind IN ('r', 'p')")) {
            q.setString(1, schema);
            try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    files.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return files;
    }

    /** The strongest lock this session holds on each table of the schema. */
    private static Map<String, String> strongestLocks(Connection conn, String schema) throws SQLException {
        Map<String, String> locks = new HashMap<>();
        try (PreparedStatement q = conn.prepareStatement("SELECT c.relname, l.mode FROM pg_locks l "
                + "JOIN pg_class c ON c.oid = l.relation WHERE l.pid = pg_backend_pid() AND l.granted "
                + "AND c.relnamespace = ?::regnamespace AND c.relkind IN ('r', 'p')")) {
            q.setString(1, schema);
            try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    locks.merge(rows.getString(1), rows.getString(2),
                            (a, b) -> LOCK_MODES.indexOf(a) >= LOCK_MODES.indexOf(b) ? a : b);
                }
            }
        }
        return locks;
    }

    // --- MySQL and MariaDB ------------------------------------------------------------------------

    private static void mysql(DataSource db, LintCorpus.Case c) throws SQLException {
        List<String> statements = c.statements();
        String last = statements.get(statements.size() - 1);
        try (Connection conn = db.getConnection(); Statement s = conn.createStatement()) {
            dropLintTables(s);
            try {
                for (String sql : before(c, statements)) {
                    s.execute(sql);
                }
                String online = c.claim("online");
                if (online == null) {
                    s.execute(last);
                } else if (online.equals("yes")) {
                    s.execute(withOnlineClauses(c, last));
                } else if (online.equals("refused")) {
                    assertRefusedOnline(c, () -> s.execute(last));
                } else {
                    assertRefusedOnline(c, () -> s.execute(withOnlineClauses(c, last)));
                    s.execute(last);
                }
            } finally {
                dropLintTables(s);
            }
        }
    }

    private static void assertRefusedOnline(LintCorpus.Case c, org.assertj.core.api.ThrowableAssert.ThrowingCallable run) {
        assertThatThrownBy(run).as("%s is refused online", c).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getErrorCode()).as(e.getMessage()).isIn(REFUSED_ONLINE));
    }

    /** The statement with {@code ALGORITHM=INPLACE, LOCK=NONE}, as an ALTER TABLE or an index statement takes it. */
    private static String withOnlineClauses(LintCorpus.Case c, String statement) {
        String upper = statement.toUpperCase(java.util.Locale.ROOT);
        if (upper.startsWith("ALTER TABLE")) {
            return statement + ", ALGORITHM=INPLACE, LOCK=NONE";
        }
        if (upper.matches("(?s)^(CREATE\\s+(UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)?INDEX|DROP\\s+INDEX)\\b.*")) {
            return statement + " ALGORITHM=INPLACE LOCK=NONE";
        }
        return fail("%s claims 'online' for a statement that takes no ALGORITHM or LOCK clause", c);
    }

    private static void dropLintTables(Statement s) throws SQLException {
        s.execute("UNLOCK TABLES");
        List<String> tables = new ArrayList<>();
        try (ResultSet rows = s.executeQuery("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = DATABASE() AND table_name LIKE 'lint\\_%'")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        s.execute("SET foreign_key_checks = 0");
        for (String table : tables) {
            s.execute("DROP TABLE `" + table + "`");
        }
        s.execute("SET foreign_key_checks = 1");
    }
}
