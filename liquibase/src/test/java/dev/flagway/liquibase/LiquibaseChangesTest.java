package dev.flagway.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.Migration;
import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.CheckpointStore;
import dev.flagway.contract.ContractGate;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.dialect.Dialect;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.mysql.MySqlDialect;
import dev.flagway.postgres.PostgresDialect;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.DdlStatement;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.testing.ScratchTables;
import dev.flagway.testing.TestDatabase;
import dev.flagway.verify.VerificationLog;
import dev.flagway.verify.Verifier;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.DirectoryResourceAccessor;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real Liquibase 4.33 with Flagway's change types, against PostgreSQL, MariaDB and MySQL 8. */
class LiquibaseChangesTest {

    static String xml(String table) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:fw="http://flagway.dev/xml/ns/liquibase"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                        http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd
                        http://flagway.dev/xml/ns/liquibase http://flagway.dev/xml/ns/flagway-liquibase-1.0.xsd">
                  <changeSet id="1" author="flagway">
                    <fw:flagwayAddColumn tableName="%1$s" columnName="email_normalized" columnType="varchar(320)"
                        lockTimeout="2s" maxAttempts="5"/>
                  </changeSet>
                  <changeSet id="2" author="flagway">
                    <fw:flagwayCreateIndex tableName="%1$s" indexName="%1$s_en_idx" columns="email_normalized"/>
                  </changeSet>
                </databaseChangeLog>
                """.formatted(table);
    }

    static String yaml(String table) {
        return """
                databaseChangeLog:
                  - changeSet:
                      id: 1
                      author: flagway
                      changes:
                        - flagwayAddColumn:
                            tableName: %1$s
                            columnName: email_normalized
                            columnType: varchar(320)
                            lockTimeout: 2s
                  - changeSet:
                      id: 2
                      author: flagway
                      changes:
                        - flagwayCreateIndex:
                            tableName: %1$s
                            indexName: %1$s_en_idx
                            columns: email_normalized
                """.formatted(table);
    }

    static String json(String table) {
        return """
                {"databaseChangeLog": [
                  {"changeSet": {"id": "1", "author": "flagway", "changes": [
                    {"flagwayAddColumn": {"tableName": "%1$s", "columnName": "email_normalized",
                                          "columnType": "varchar(320)", "lockTimeout": "2s"}}]}},
                  {"changeSet": {"id": "2", "author": "flagway", "changes": [
                    {"flagwayCreateIndex": {"tableName": "%1$s", "indexName": "%1$s_en_idx",
                                            "columns": "email_normalized"}}]}}
                ]}
                """.formatted(table);
    }

    @Test
    void updateSqlShowsTheExactStatementsUpdateRuns() throws Exception {
        try (Fixture f = new Fixture(TestDatabase.POSTGRES)) {
            f.write("changelog.xml", xml(f.table));
            StringWriter sql = new StringWriter();
            f.liquibase("changelog.xml", l -> l.update(new Contexts(), new LabelExpression(), sql));

            PostgresDialect pg = new PostgresDialect();
            List<DdlStatement> plan = new ArrayList<>(pg.plan(SchemaOperation.addColumn(f.table, "email_normalized",
                    SQLDataType.VARCHAR(320))));
            plan.addAll(pg.plan(SchemaOperation.createIndex(f.table, f.table + "_en_idx", "email_normalized")));
            String out = sql.toString();
            for (DdlStatement statement : plan) {
                assertThat(out).contains("-- flagway: " + statement.operation().describe() + " (" + statement.mode()
                        + ", lock timeout ", statement.sql() + ";");
            }
            assertThat(out).contains("lock timeout 2s, up to 5 attempts").contains("create index concurrently")
                    .doesNotContain("prepared statement");
            assertThat(f.columnExists("email_normalized")).isFalse(); // updateSql ran nothing

            f.liquibase("changelog.xml", l -> l.update(new Contexts(), new LabelExpression()));
            assertThat(f.columnExists("email_normalized")).isTrue();
            assertThat(f.count("select count(*) from pg_index i join pg_class c on c.oid = i.indexrelid"
                    + " where c.relname = '" + f.table + "_en_idx' and i.indisvalid")).isEqualTo(1);
            assertThat(f.ranChangeSets()).containsExactly("1", "2");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"MARIADB", "MYSQL8"})
    void yamlAndJsonChangelogsRunTheSameChangesOnMySqlAndMariaDb(TestDatabase db) throws Exception {
        try (Fixture f = new Fixture(db)) {
            String file = db == TestDatabase.MARIADB ? "changelog.yaml" : "changelog.json";
            f.write(file, db == TestDatabase.MARIADB ? yaml(f.table) : json(f.table));
            StringWriter sql = new StringWriter();
            f.liquibase(file, l -> l.update(new Contexts(), new LabelExpression(), sql));
            assertThat(sql.toString()).contains("-- flagway: add column", "alter table `" + f.table + "` add `email_normalized`", "-- flagway: create index");

            f.liquibase(file, l -> l.update(new Contexts(), new LabelExpression()));
            assertThat(f.columnExists("email_normalized")).isTrue();
            assertThat(f.count("select count(*) from information_schema.statistics where table_schema = database()"
                    + " and table_name = '" + f.table + "' and index_name = '" + f.table + "_en_idx'")).isEqualTo(1);
            assertThat(f.ranChangeSets()).containsExactly("1", "2");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB", "MYSQL8"})
    void aContractIsRefusedByTheGateWithNothingRecordedThenAllowed(TestDatabase db) throws Exception {
        try (Fixture f = new Fixture(db)) {
            f.exec("alter table " + f.table + " add column email_normalized varchar(200)");
            Migration migration = Migration.builder(f.table.replace('_', '-')).table(f.table).keyColumn("id")
                    .legacyColumn("email").newColumn("email_normalized")
                    .transform(e -> e == null ? null : e.toString().trim().toLowerCase()).build();
            f.write("contract.xml", """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                        xmlns:fw="http://flagway.dev/xml/ns/liquibase"
                        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                        xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                            http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd
                            http://flagway.dev/xml/ns/liquibase http://flagway.dev/xml/ns/flagway-liquibase-1.0.xsd">
                      <changeSet id="contract" author="flagway">
                        <fw:flagwayContract migrationId="%s" tableName="%s" columnName="email"/>
                      </changeSet>
                    </databaseChangeLog>
                    """.formatted(migration.id(), f.table));
            Dialect dialect = db == TestDatabase.POSTGRES ? new PostgresDialect() : MySqlDialect.detect(f.dataSource);
            String p = f.table;
            f.drop(p + "_ckpt", p + "_verif", p + "_bad", p + "_repair", p + "_audit", p + "_fallback");
            VerificationLog log = new VerificationLog(f.dataSource, p + "_verif");
            try (FallbackJournal journal = FallbackJournal.start(f.dataSource, p + "_fallback", Duration.ofMinutes(5),
                    Clock.systemUTC())) {
                ContractGate gate = ContractGate.builder(migration)
                        .flagHistory(flag -> Optional.of(Instant.now().minus(Duration.ofDays(8))))
                        .fallbacks(journal).checkpoints(new CheckpointStore(f.dataSource, p + "_ckpt"))
                        .verifications(log).badRows(f.dataSource, BadRowLog.named(p + "_bad"))
                        .executor(new SchemaExecutor(f.dataSource, dialect, DdlSettings.ofDefaults()))
                        .audit(new JdbcAuditLog(f.dataSource, p + "_audit")).build();
                FlagwayLiquibase.registerContractGate(migration.id(), gate);
                try {
                    StringWriter sql = new StringWriter();
                    f.liquibase("contract.xml", l -> l.update(new Contexts(), new LabelExpression(), sql));
                    assertThat(sql.toString()).contains("runs only when the contract gate of migration '"
                            + migration.id() + "' allows it", "-- flagway: drop column");

                    assertThatThrownBy(() -> f.liquibase("contract.xml",
                            l -> l.update(new Contexts(), new LabelExpression())))
                            .isInstanceOf(LiquibaseException.class)
                            .hasStackTraceContaining("contract of migration '" + migration.id() + "' refused")
                            .hasStackTraceContaining("the backfill never ran");
                    assertThat(f.ranChangeSets()).isEmpty();
                    assertThat(f.columnExists("email")).isTrue();

                    Backfill.builder(migration, f.dataSource, dialect).settings(BackfillSettings.custom()
                            .checkpointTable(p + "_ckpt").repairTable(p + "_repair").badRowTable(p + "_bad").build())
                            .build().run();
                    Verifier.builder(migration, f.dataSource, dialect).log(log).build().verify();

                    f.liquibase("contract.xml", l -> l.update(new Contexts(), new LabelExpression()));
                    assertThat(f.ranChangeSets()).containsExactly("contract");
                    assertThat(f.columnExists("email")).isFalse();
                } finally {
                    FlagwayLiquibase.unregisterContractGate(migration.id());
                }
            }
        }
    }

    /** Liquibase work on an open {@link Liquibase}. */
    interface Work {
        void on(Liquibase liquibase) throws Exception;
    }

    /** A table of 200 users, a changelog folder and Liquibase tables of its own, on one server. */
    static final class Fixture implements AutoCloseable {
        final TestDatabase db;
        final DataSource dataSource;
        final String table = TestDatabase.uniqueName("lb_users");
        final String changelogTable = table + "_dcl";
        final String lockTable = table + "_dcll";
        final Path dir;
        private final ScratchTables sql;

        Fixture(TestDatabase db) throws IOException {
            this.db = db;
            this.dataSource = db.dataSource();
            this.sql = new ScratchTables(db, dataSource);
            this.dir = Files.createTempDirectory("flagway-liquibase");
            exec("create table " + table + " (id int primary key, email varchar(200))");
            StringBuilder values = new StringBuilder();
            for (int i = 1; i <= 200; i++) {
                values.append(i == 1 ? "" : ", ").append("(").append(i).append(", ' User").append(i)
                        .append("@Example.com ')");
            }
            exec("insert into " + table + " (id, email) values " + values);
            drop(table, changelogTable, lockTable);
        }

        void drop(String... tables) {
            sql.dropLater(tables);
        }

        void write(String file, String content) throws IOException {
            Files.writeString(dir.resolve(file), content);
        }

        void liquibase(String changelog, Work work) throws Exception {
            try (Connection c = dataSource.getConnection()) {
                Database database = DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(c));
                database.setDatabaseChangeLogTableName(changelogTable);
                database.setDatabaseChangeLogLockTableName(lockTable);
                try (Liquibase liquibase = new Liquibase(changelog, new DirectoryResourceAccessor(dir), database)) {
                    work.on(liquibase);
                }
            }
        }

        List<String> ranChangeSets() {
            List<String> ids = new ArrayList<>();
            if (!sql.tableExists(changelogTable)) {
                return ids;
            }
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select id from " + changelogTable + " order by orderexecuted")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return ids;
        }

        boolean columnExists(String column) {
            return sql.columnExists(table, column);
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
}
