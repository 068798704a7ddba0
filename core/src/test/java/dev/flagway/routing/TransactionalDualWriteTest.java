package dev.flagway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.DualWrite;
import dev.flagway.FlagRouted;
import dev.flagway.FlagwayException;
import dev.flagway.RowKey;
import dev.flagway.Stage;
import dev.flagway.TargetingKey;
import dev.flagway.WritePolicy;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.jdbc.DataSourceTransactionRunner;
import dev.flagway.jdbc.JooqTransactionRunner;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.jdbc.TransactionRunner;
import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.JDBCUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dual writes in one transaction on H2, PostgreSQL and MariaDB. The modern write fails in the
 * application's code (repaired from the legacy value in the same transaction), or with a real SQL
 * error (a CHECK violation the repair cannot avoid either), which on PostgreSQL aborts the
 * transaction unless the savepoint contains it.
 */
class TransactionalDualWriteTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private DataSource dataSource;
    private String table;
    private String repairTable;
    private String badRowTable;

    interface UserRepository {
        @DualWrite
        void save(@TargetingKey @RowKey long id, String email);

        @FlagRouted
        String email(@TargetingKey long id);
    }

    /** Writes one of the two columns with plain JDBC through the runner's data source. */
    static final class JdbcUsers implements UserRepository {
        private final DataSource dataSource;
        private final String table;
        private final boolean modern;

        JdbcUsers(DataSource dataSource, String table, boolean modern) {
            this.dataSource = dataSource;
            this.table = table;
            this.modern = modern;
        }

        @Override
        public void save(long id, String email) {
            if (modern && email.startsWith("Flaky")) {
                throw new IllegalStateException("the new code failed before writing");
            }
            String sql = modern
                    ? "update " + table + " set email_normalized = ? where id = ?"
                    : "insert into " + table + " (email, id) values (?, ?)";
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, modern ? email.toLowerCase(Locale.ROOT) : email);
                ps.setLong(2, id);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        @Override
        public String email(long id) {
            String column = modern ? "email_normalized" : "email";
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("select " + column + " from " + table + " where id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }

    /** The same with jOOQ on the runner's thread-bound context. */
    static final class JooqUsers implements UserRepository {
        private final DSLContext dsl;
        private final String table;
        private final boolean modern;

        JooqUsers(DSLContext dsl, String table, boolean modern) {
            this.dsl = dsl;
            this.table = table;
            this.modern = modern;
        }

        @Override
        public void save(long id, String email) {
            if (modern) {
                dsl.update(DSL.table(DSL.name(table)))
                        .set(DSL.field(DSL.name("email_normalized")), email.toLowerCase(Locale.ROOT))
                        .where(DSL.field(DSL.name("id")).eq(id)).execute();
            } else {
                dsl.insertInto(DSL.table(DSL.name(table)), DSL.field(DSL.name("id")), DSL.field(DSL.name("email")))
                        .values(id, email).execute();
            }
        }

        @Override
        public String email(long id) {
            return dsl.select(DSL.field(DSL.name(modern ? "email_normalized" : "email"), String.class))
                    .from(DSL.table(DSL.name(table))).where(DSL.field(DSL.name("id")).eq(id)).fetchOne(0, String.class);
        }
    }

    private void createTable(TestDatabase db) throws SQLException {
        dataSource = db.dataSource();
        table = TestDatabase.uniqueName("users");
        repairTable = TestDatabase.uniqueName("repair");
        badRowTable = repairTable + "_bad";
        execute("create table " + table + " (id bigint primary key, email varchar(200) not null,"
                + " email_normalized varchar(200), constraint " + table + "_ck check (email_normalized <> 'boom'))");
    }

    private Fixture fixture(TransactionRunner runner, WritePolicy policy) {
        Fixture fx = Fixture.create(m -> m.table(table).writePolicy(policy).transform(e -> ((String) e).toLowerCase(Locale.ROOT)),
                b -> b.transactionRunner(runner).repairLog(RepairLog.named(repairTable))
                        .badRowLog(BadRowLog.named(badRowTable)));
        cleanup.add(fx);
        return fx;
    }

    private UserRepository jdbcRepository(Fixture fx, DataSourceTransactionRunner runner) {
        return DualWriteRepository.of(UserRepository.class)
                .legacy(new JdbcUsers(runner.dataSource(), table, false))
                .modern(new JdbcUsers(runner.dataSource(), table, true))
                .migration(fx.runtime).wrap();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
        if (table != null) {
            execute("drop table if exists " + table);
            execute("drop table if exists " + repairTable);
            execute("drop table if exists " + badRowTable);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void bothColumnsCommitTogether(TestDatabase db) throws SQLException {
        createTable(db);
        DataSourceTransactionRunner runner = new DataSourceTransactionRunner(dataSource);
        Fixture fx = fixture(runner, WritePolicy.REPAIR);
        fx.flags.stage(Stage.DUAL_WRITE);

        jdbcRepository(fx, runner).save(1L, "Ann@Example.com");

        assertThat(row(1L)).containsExactly("Ann@Example.com", "ann@example.com");
        assertThat(repairKeys()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void failedModernWriteIsReDerivedFromTheLegacyValueInItsTransaction(TestDatabase db) throws SQLException {
        createTable(db);
        DataSourceTransactionRunner runner = new DataSourceTransactionRunner(dataSource);
        Fixture fx = fixture(runner, WritePolicy.REPAIR);
        fx.flags.stage(Stage.LIVE);
        UserRepository users = jdbcRepository(fx, runner);

        users.save(2L, "Flaky@Example.com");
        users.save(2L + 1, "fine@example.com");

        assertThat(row(2L)).containsExactly("Flaky@Example.com", "flaky@example.com");
        assertThat(row(3L)).containsExactly("fine@example.com", "fine@example.com");
        assertThat(repairKeys()).isEmpty();
        assertThat(fx.runtime.pinnedToLegacy("2")).isFalse();
        assertThat(fx.count("flagway.repairs", "outcome", "inline")).isEqualTo(1.0);
        assertThat(fx.count("flagway.writes", "path", "modern", "outcome", "error")).isEqualTo(1.0);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void modernWriteTheRepairCannotFixEitherCommitsTheLegacyRowAndIsRecordedAndPinnedWhereLegacyIsRead(TestDatabase db)
            throws SQLException {
        createTable(db);
        DataSourceTransactionRunner runner = new DataSourceTransactionRunner(dataSource);
        Fixture fx = fixture(runner, WritePolicy.REPAIR);
        fx.flags.stage(Stage.SHADOW);

        jdbcRepository(fx, runner).save(2L, "BOOM");

        assertThat(row(2L)).containsExactly("BOOM", null);
        assertThat(repairKeys()).containsExactly("2");
        assertThat(fx.runtime.pinnedToLegacy("2")).isTrue();
        assertThat(fx.count("flagway.repairs", "outcome", "recorded")).isEqualTo(1.0);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void modernWriteTheRepairCannotFixEitherFailsTheWholeWriteWhereTheNewColumnIsRead(TestDatabase db)
            throws SQLException {
        createTable(db);
        DataSourceTransactionRunner runner = new DataSourceTransactionRunner(dataSource);
        Fixture fx = fixture(runner, WritePolicy.REPAIR);
        fx.flags.stage(Stage.RAMP_DOWN);

        assertThatThrownBy(() -> jdbcRepository(fx, runner).save(2L, "BOOM"))
                .isInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .isInstanceOf(FlagwayException.class));

        assertThat(row(2L)).isNull();
        assertThat(repairKeys()).isEmpty();
        assertThat(fx.count("flagway.repairs", "outcome", "failed")).isEqualTo(1.0);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void repeatedFailureOfOneRowKeepsOneRepairEntryAndCountsTheFailures(TestDatabase db) throws SQLException {
        createTable(db);
        DataSourceTransactionRunner runner = new DataSourceTransactionRunner(dataSource);
        Fixture fx = fixture(runner, WritePolicy.REPAIR);
        fx.flags.stage(Stage.DUAL_WRITE);
        UserRepository users = jdbcRepository(fx, runner);

        users.save(4L, "BOOM");
        execute("delete from " + table + " where id = 4");
        users.save(4L, "BOOM");

        try (Connection c = dataSource.getConnection()) {
            List<RepairLog.Entry> pending = RepairLog.named(repairTable).pending(c, "users-email", 10);
            assertThat(pending).singleElement().satisfies(e -> {
                assertThat(e.rowKey()).isEqualTo("4");
                assertThat(e.failures()).isEqualTo(2);
                assertThat(e.error()).containsIgnoringCase("_ck").doesNotContain("\tat ");
            });
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void strictPolicyFailsTheWholeWriteAndCommitsNothing(TestDatabase db) throws SQLException {
        createTable(db);
        DataSourceTransactionRunner runner = new DataSourceTransactionRunner(dataSource);
        Fixture fx = fixture(runner, WritePolicy.STRICT);
        fx.flags.stage(Stage.DUAL_WRITE);

        assertThatThrownBy(() -> jdbcRepository(fx, runner).save(5L, "BOOM"))
                .isInstanceOf(IllegalStateException.class);

        assertThat(row(5L)).isNull();
        assertThat(repairKeys()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void failedLegacyWriteRollsBackAndNeverCallsTheModernWrite(TestDatabase db) throws SQLException {
        createTable(db);
        DataSourceTransactionRunner runner = new DataSourceTransactionRunner(dataSource);
        Fixture fx = fixture(runner, WritePolicy.REPAIR);
        fx.flags.stage(Stage.DUAL_WRITE);
        UserRepository users = jdbcRepository(fx, runner);
        users.save(6L, "first@example.com");

        assertThatThrownBy(() -> users.save(6L, "second@example.com")).isInstanceOf(IllegalStateException.class);

        assertThat(row(6L)).containsExactly("first@example.com", "first@example.com");
        assertThat(fx.count("flagway.writes", "path", "legacy", "outcome", "error")).isEqualTo(1.0);
        assertThat(repairKeys()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void jooqRepositoriesJoinTheTransactionAndTheSavepoint(TestDatabase db) throws SQLException {
        createTable(db);
        JooqTransactionRunner runner;
        try (Connection c = dataSource.getConnection()) {
            runner = JooqTransactionRunner.create(dataSource, JDBCUtils.dialect(c));
        }
        Fixture fx = fixture(runner, WritePolicy.REPAIR);
        fx.flags.stage(Stage.DUAL_WRITE);
        UserRepository users = DualWriteRepository.of(UserRepository.class)
                .legacy(new JooqUsers(runner.dsl(), table, false))
                .modern(new JooqUsers(runner.dsl(), table, true))
                .migration(fx.runtime).wrap();

        users.save(7L, "Seven@Example.com");
        users.save(8L, "BOOM");

        assertThat(row(7L)).containsExactly("Seven@Example.com", "seven@example.com");
        assertThat(row(8L)).containsExactly("BOOM", null);
        assertThat(repairKeys()).containsExactly("8");
    }

    private String[] row(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select email, email_normalized from " + table + " where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
            }
        }
    }

    private List<String> repairKeys() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return RepairLog.named(repairTable).pending(c, "users-email", 100).stream().map(RepairLog.Entry::rowKey).toList();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
