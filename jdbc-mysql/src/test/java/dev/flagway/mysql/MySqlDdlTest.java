package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.schema.DdlException;
import dev.flagway.schema.DdlMode;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.DdlStatement;
import dev.flagway.schema.LintOverride;
import dev.flagway.schema.LintRule;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.schema.StatementOutcome;
import dev.flagway.schema.UnsafeOperationException;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Lock-safe DDL planning and execution: INSTANT where possible, INPLACE otherwise, never a silent copy. */
class MySqlDdlTest {
    private final List<String> tables = new ArrayList<>();
    private DataSource ds;

    @AfterEach
    void dropTables() throws Exception {
        if (ds != null) {
            Sql.drop(ds, tables.toArray(String[]::new));
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void addColumnIsInstantOnAPlainInnodbTable(Server server) throws Exception {
        String t = table(server, "(id BIGINT PRIMARY KEY, email VARCHAR(320))");
        MySqlDialect dialect = MySqlDialect.detect(ds);

        List<DdlStatement> plan = dialect.plan(addEmailNormalized(t));

        assertThat(plan).singleElement().satisfies(s -> {
            assertThat(s.sql()).isEqualTo("alter table `" + t + "` add `email_normalized` varchar(320), algorithm=instant");
            assertThat(s.mode()).isEqualTo(DdlMode.ONLINE);
        });
        new SchemaExecutor(ds, dialect, DdlSettings.ofDefaults()).apply(List.of(addEmailNormalized(t)));
        assertThat(Sql.columns(ds, t)).containsExactly("id", "email", "email_normalized");
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void addColumnIsInplaceWithoutLocksWhenTheTableForbidsInstant(Server server) throws Exception {
        String compressed = table(server, "(id BIGINT PRIMARY KEY, email VARCHAR(320)) ROW_FORMAT=COMPRESSED");
        MySqlDialect dialect = MySqlDialect.detect(ds);

        assertThat(dialect.plan(addEmailNormalized(compressed))).singleElement().extracting(DdlStatement::sql)
                .isEqualTo("alter table `" + compressed + "` add `email_normalized` varchar(320), algorithm=inplace, lock=none");
        new SchemaExecutor(ds, dialect, DdlSettings.ofDefaults()).apply(List.of(addEmailNormalized(compressed)));
        assertThat(Sql.columns(ds, compressed)).contains("email_normalized");
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aColumnChangeThatWouldBlockWritesRunsOnlyWhenExplicitlyAllowed(Server server) throws Exception {
        String fulltext = table(server, "(id BIGINT PRIMARY KEY, bio TEXT, FULLTEXT KEY ft (bio))");
        boolean mariadb = server == Server.MARIADB;

        assertThatThrownBy(() -> MySqlDialect.detect(ds).plan(addEmailNormalized(fulltext)))
                .isInstanceOf(UnsafeOperationException.class)
                .hasMessageContaining(mariadb ? "the table has a FULLTEXT index, so the change rebuilds it under LOCK=SHARED"
                        : "the table has a FULLTEXT index, which MySQL rebuilds only by copying the table")
                .hasMessageEndingWith(mariadb ? "[BLOCKING_LOCK]" : "[TABLE_COPY]");
        MySqlDialect allowing = MySqlDialect.builder(ds)
                .settings(MySqlSettings.custom().allowBlockingDdl("maintenance window").build()).build();
        List<StatementOutcome> outcomes = new SchemaExecutor(ds, allowing, DdlSettings.ofDefaults())
                .apply(List.of(addEmailNormalized(fulltext)));
        assertThat(outcomes).singleElement().extracting(o -> o.statement().sql()).asString()
                .endsWith(mariadb ? ", algorithm=inplace, lock=shared" : ", algorithm=copy, lock=shared");
        assertThat(Sql.columns(ds, fulltext)).contains("email_normalized");
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void indexesAreBuiltAndDroppedInplaceWithoutLocks(Server server) throws Exception {
        String t = table(server, "(id BIGINT PRIMARY KEY, email VARCHAR(320))");
        MySqlDialect dialect = MySqlDialect.detect(ds);
        SchemaOperation index = SchemaOperation.createUniqueIndex(t, "ux_email", "email");

        assertThat(dialect.plan(index)).extracting(DdlStatement::sql)
                .containsExactly("alter table `" + t + "` add unique index `ux_email` (`email`), algorithm=inplace, lock=none");
        new SchemaExecutor(ds, dialect, DdlSettings.ofDefaults()).apply(List.of(index));
        assertThat(dialect.plan(SchemaOperation.dropIndex(t, "ux_email"))).extracting(DdlStatement::sql)
                .containsExactly("alter table `" + t + "` drop index `ux_email`, algorithm=inplace, lock=none");
        assertThat(dialect.plan(((SchemaOperation.CreateIndex) index).nonConcurrent())).extracting(DdlStatement::sql)
                .allMatch(sql -> sql.endsWith(", algorithm=inplace, lock=shared"));
    }

    /** The sub-second lock-wait watchdog cancels only a statement that still waits for its lock, never one at work. */
    @ParameterizedTest
    @EnumSource(Server.class)
    void aStatementWorkingLongerThanItsSubSecondLockWaitIsNotCancelled(Server server) throws Exception {
        String t = table(server, "(id INT PRIMARY KEY, email VARCHAR(320))");
        Sql.exec(ds, "INSERT INTO `" + t + "` SELECT n, CONCAT('user', RAND(), '@example.com') FROM ("
                + Sql.numbers(20_000) + ") seq");
        Duration budget = Duration.ofMillis(10);
        MySqlDialect dialect = MySqlDialect.builder(ds)
                .settings(MySqlSettings.custom().lockWaitTimeout(budget).build()).build();

        List<StatementOutcome> outcomes = new SchemaExecutor(ds, dialect, DdlSettings.custom().onlineLockTimeout(budget)
                .maxAttempts(1).build()).apply(List.of(SchemaOperation.createIndex(t, "ix_email", "email")));

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.attempts()).isEqualTo(1);
            assertThat(o.elapsed()).isGreaterThan(budget);
        });
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aReRunAfterAnInterruptedExpandOnlyDoesWhatIsLeft(Server server) throws Exception {
        String t = table(server, "(id BIGINT PRIMARY KEY, email VARCHAR(320))");
        MySqlDialect dialect = MySqlDialect.detect(ds);
        SchemaExecutor ddl = new SchemaExecutor(ds, dialect, DdlSettings.ofDefaults());
        List<SchemaOperation> expand = List.of(addEmailNormalized(t),
                SchemaOperation.createIndex(t, "ix_email_normalized", "email_normalized"));
        ddl.apply(expand.subList(0, 1));

        List<StatementOutcome> outcomes = ddl.apply(expand);

        assertThat(outcomes).extracting(o -> o.statement().operation()).containsExactly(expand.get(1));
        assertThat(ddl.plan(expand)).isEmpty();
        assertThat(ddl.plan(List.of(SchemaOperation.dropColumn(t, "nothing_here")))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void requestsThatWouldCopyTheTableAreRefusedWithTheReason(Server server) throws Exception {
        String myisam = table(server, "(id BIGINT PRIMARY KEY, email VARCHAR(320)) ENGINE=MyISAM");
        String innodb = table(server, "(id INT PRIMARY KEY, v INT)");
        SchemaExecutor ddl = new SchemaExecutor(ds, MySqlDialect.detect(ds), DdlSettings.ofDefaults());
        LintOverride typeChange = new LintOverride(LintRule.TYPE_CHANGE_IN_PLACE, "test");

        assertThatThrownBy(() -> ddl.apply(List.of(addEmailNormalized(myisam))))
                .isInstanceOf(UnsafeOperationException.class)
                .hasMessageStartingWith("refused add column " + myisam + ".email_normalized: the table uses the MyISAM "
                        + "engine, which has no online DDL; the server can only do this by copying the table")
                .hasMessageContaining("allowBlockingDdl(reason)")
                .hasMessageEndingWith("[TABLE_COPY]");
        assertThatThrownBy(() -> ddl.apply(List.of(SchemaOperation.changeColumnType(innodb, "v", SQLDataType.BIGINT)),
                typeChange)).hasMessageContaining("changing int to bigint rewrites every row");
        assertThatThrownBy(() -> ddl.apply(List.of(SchemaOperation.addCheck(innodb, "v_positive",
                DSL.field(DSL.name("v")).gt(0))))).hasMessageContaining("validate a new CHECK constraint by copying");
        assertThat(Sql.columns(ds, myisam)).containsExactly("id", "email");
        assertThat(Sql.columns(ds, innodb)).containsExactly("id", "v");
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aCopyRunsOnlyWhenExplicitlyAllowed(Server server) throws Exception {
        String t = table(server, "(id INT PRIMARY KEY, v INT)");
        MySqlDialect allowing = MySqlDialect.builder(ds)
                .settings(MySqlSettings.custom().allowBlockingDdl("maintenance window").build()).build();
        SchemaOperation widen = SchemaOperation.changeColumnType(t, "v", SQLDataType.BIGINT);

        List<StatementOutcome> outcomes = new SchemaExecutor(ds, allowing, DdlSettings.ofDefaults())
                .apply(List.of(widen), new LintOverride(LintRule.TYPE_CHANGE_IN_PLACE, "test"));

        assertThat(outcomes).singleElement().extracting(o -> o.statement().sql()).asString()
                .endsWith(", algorithm=copy, lock=shared");
        assertThat(Sql.queryLong(ds, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = '" + t + "' AND COLUMN_NAME = 'v' AND DATA_TYPE = 'bigint'")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void wideningAVarcharRunsInplace(Server server) throws Exception {
        String t = table(server, "(id INT PRIMARY KEY, email VARCHAR(100))");
        MySqlDialect dialect = MySqlDialect.detect(ds);

        assertThat(dialect.plan(SchemaOperation.changeColumnType(t, "email", SQLDataType.VARCHAR(200))))
                .singleElement().extracting(DdlStatement::sql).asString().endsWith(", algorithm=inplace, lock=none");
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void droppingAColumnAViewStillReadsIsRefused(Server server) throws Exception {
        String t = table(server, "(id BIGINT PRIMARY KEY, email VARCHAR(320), email_normalized VARCHAR(320))");
        String view = Sql.table("v_emails");
        Sql.exec(ds, "CREATE VIEW `" + view + "` AS SELECT id, email FROM `" + t + "`");
        try {
            MySqlDialect dialect = MySqlDialect.detect(ds);

            assertThatThrownBy(() -> dialect.plan(SchemaOperation.dropColumn(t, "email")))
                    .isInstanceOf(UnsafeOperationException.class)
                    .hasMessageContaining("read by view " + view)
                    .extracting(e -> ((UnsafeOperationException) e).findings().get(0).rule()).isEqualTo(LintRule.COLUMN_STILL_READ);
            assertThat(dialect.plan(SchemaOperation.dropColumn(t, "email_normalized"))).singleElement()
                    .extracting(DdlStatement::sql).asString()
                    .isEqualTo("alter table `" + t + "` drop `email_normalized`, algorithm=instant");
        } finally {
            Sql.exec(ds, "DROP VIEW IF EXISTS `" + view + "`");
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void droppingAnIndexedColumnRebuildsInplace(Server server) throws Exception {
        String t = table(server, "(id BIGINT PRIMARY KEY, email VARCHAR(320), KEY ix_email (email))");

        assertThat(MySqlDialect.detect(ds).plan(SchemaOperation.dropColumn(t, "email"))).singleElement()
                .extracting(DdlStatement::sql).asString().endsWith(", algorithm=inplace, lock=none");
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void notNullIsSetAndDroppedOnlineKeepingTheRestOfTheDefinition(Server server) throws Exception {
        String t = table(server, "(id BIGINT PRIMARY KEY, email VARCHAR(320) CHARACTER SET latin1 COMMENT 'NULL? not here')");
        Sql.exec(ds, "INSERT INTO `" + t + "` VALUES (1, 'a@example.com')");
        MySqlDialect dialect = MySqlDialect.detect(ds);
        SchemaExecutor ddl = new SchemaExecutor(ds, dialect, DdlSettings.ofDefaults());

        assertThat(dialect.plan(SchemaOperation.setNotNull(t, "email"))).singleElement().extracting(DdlStatement::sql)
                .asString().startsWith("alter table `" + t + "` modify `email` varchar(320) CHARACTER SET latin1 ")
                .endsWith(" COMMENT 'NULL? not here' NOT NULL, algorithm=inplace, lock=none");
        ddl.apply(List.of(SchemaOperation.setNotNull(t, "email")));
        assertThat(nullable(t, "email")).isEqualTo("NO");
        assertThat(ddl.plan(List.of(SchemaOperation.setNotNull(t, "email")))).isEmpty();

        ddl.apply(List.of(SchemaOperation.dropNotNull(t, "email")));
        assertThat(nullable(t, "email")).isEqualTo("YES");
        assertThat(Sql.queryLong(ds, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME = '" + t + "' AND COLUMN_COMMENT = 'NULL? not here'"
                + " AND CHARACTER_SET_NAME = 'latin1'")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void settingNotNullWhileNullsRemainFailsWithoutChangingTheTable(Server server) throws Exception {
        String t = table(server, "(id BIGINT PRIMARY KEY, email VARCHAR(320))");
        Sql.exec(ds, "INSERT INTO `" + t + "` VALUES (1, NULL)");
        SchemaExecutor ddl = new SchemaExecutor(ds, MySqlDialect.detect(ds), DdlSettings.ofDefaults());

        assertThatThrownBy(() -> ddl.apply(List.of(SchemaOperation.setNotNull(t, "email"))))
                .isInstanceOf(DdlException.class);
        assertThat(nullable(t, "email")).isEqualTo("YES");
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aMissingTableIsRefusedBeforeAnythingRuns(Server server) throws Exception {
        ds = server.dataSource();

        assertThatThrownBy(() -> MySqlDialect.detect(ds).plan(addEmailNormalized("no_such_table_here")))
                .isInstanceOf(DdlException.class)
                .hasMessage("cannot plan add column no_such_table_here.email_normalized: table no_such_table_here does not exist");
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void timeoutsAreCappedAtTheMetadataLockWaitAndResetAfterwards(Server server) throws Exception {
        ds = server.dataSource();
        MySqlDialect dialect = MySqlDialect.builder(ds)
                .settings(MySqlSettings.custom().lockWaitTimeout(Duration.ofSeconds(3)).build()).build();
        try (Connection c = ds.getConnection()) {
            long globalDefault = Sql.queryLong(c, "SELECT @@GLOBAL.lock_wait_timeout");

            dialect.applyTimeouts(c, DdlMode.ONLINE, Duration.ofSeconds(10), Duration.ofHours(2));
            assertThat(Sql.queryLong(c, "SELECT @@SESSION.lock_wait_timeout")).isEqualTo(3);
            dialect.applyTimeouts(c, DdlMode.ONLINE, Duration.ofMillis(1_200), Duration.ofHours(2));
            assertThat(Sql.queryLong(c, "SELECT @@SESSION.lock_wait_timeout")).isEqualTo(2);
            if (dialect.server().isMariaDb()) {
                assertThat(Sql.queryLong(c, "SELECT @@SESSION.max_statement_time")).isEqualTo(7200);
            }

            dialect.resetTimeouts(c);
            assertThat(Sql.queryLong(c, "SELECT @@SESSION.lock_wait_timeout")).isEqualTo(globalDefault);
            if (dialect.server().isMariaDb()) {
                assertThat(Sql.queryLong(c, "SELECT @@SESSION.max_statement_time = @@GLOBAL.max_statement_time"))
                        .isEqualTo(1);
            }
        }
    }

    private String table(Server server, String definition) throws Exception {
        ds = server.dataSource();
        String name = Sql.table("ddl");
        tables.add(name);
        Sql.exec(ds, "CREATE TABLE `" + name + "` " + definition);
        return name;
    }

    private String nullable(String t, String column) throws Exception {
        try (var c = ds.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                     + " AND TABLE_NAME = '" + t + "' AND COLUMN_NAME = '" + column + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static SchemaOperation addEmailNormalized(String table) {
        return SchemaOperation.addColumn(table, "email_normalized", SQLDataType.VARCHAR(320));
    }
}
