package dev.flagway.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.Stage;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.ExpandRollback;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.schema.RollbackPlan;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;

class PostgresExpandRollbackTest {

    @Test
    void rollbackUnderConcurrentTrafficLeavesTheTableAsItWasAndIsAudited() throws Exception {
        try (PgFixture f = new PgFixture(20_000, false)) {
            String before = shape(f);
            SchemaExecutor ddl = new SchemaExecutor(f.dataSource, new PostgresDialect(), DdlSettings.custom()
                    .lockTimeout(Duration.ofMillis(500)).build());
            List<SchemaOperation> expand = List.of(
                    SchemaOperation.addColumn(f.table, "email_normalized", SQLDataType.VARCHAR(320)),
                    SchemaOperation.createIndex(f.table, f.table + "_norm_idx", "email_normalized"),
                    SchemaOperation.addCheck(f.table, f.table + "_norm_len",
                            DSL.length(DSL.field(DSL.name("email_normalized"), String.class)).lt(400)));
            JdbcAuditLog audit = new JdbcAuditLog(f.dataSource, f.auditTable);
            ExpandRollback rollback = new ExpandRollback(ddl, audit, Clock.systemUTC());
            RollbackPlan plan;
            try (QueryProbe readers = new QueryProbe(f.dataSource, 4, "select email from " + f.table + " where id = ?",
                    20_000);
                 QueryProbe writers = new QueryProbe(f.dataSource, 2, "update " + f.table
                         + " set email = email where id = ?", 20_000)) {
                ddl.apply(expand);
                assertThat(shape(f)).isNotEqualTo(before);

                plan = rollback.plan(f.migration.id(), expand);
                assertThat(plan.script()).contains("drop constraint if exists", "drop index concurrently if exists",
                        "drop if exists \"email_normalized\"");
                rollback.execute(plan, Stage.DUAL_WRITE, "ops@example.com");
                readers.close();
                writers.close();
                assertThat(readers.errors() + writers.errors()).isZero();
                assertThat(readers.queries()).isPositive();
            }
            assertThat(shape(f)).isEqualTo(before);
            assertThat(audit.events(f.migration.id())).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo("expand-rollback");
                assertThat(e.detail()).isEqualTo(plan.script());
            });
        }
    }

    @Test
    void rollbackIsRefusedWhileReadsUseTheNewColumn() {
        try (PgFixture f = new PgFixture(10, false)) {
            SchemaExecutor ddl = new SchemaExecutor(f.dataSource, new PostgresDialect(), DdlSettings.ofDefaults());
            List<SchemaOperation> expand = List.of(
                    SchemaOperation.addColumn(f.table, "email_normalized", SQLDataType.VARCHAR(320)));
            ddl.apply(expand);
            ExpandRollback rollback = new ExpandRollback(ddl, new JdbcAuditLog(f.dataSource, f.auditTable),
                    Clock.systemUTC());
            RollbackPlan plan = rollback.plan(f.migration.id(), expand);

            for (Stage stage : List.of(Stage.SHADOW, Stage.LIVE, Stage.RAMP_DOWN, Stage.COMPLETE)) {
                assertThatThrownBy(() -> rollback.execute(plan, stage, "ops@example.com"))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("stage is " + stage.flagValue());
            }
            assertThat(f.count("select count(*) from information_schema.columns where table_name = '" + f.table
                    + "' and column_name = 'email_normalized'")).isEqualTo(1);
        }
    }

    /** Columns, indexes and constraints of the table, as text. */
    private static String shape(PgFixture f) {
        return f.count("select count(*) from information_schema.columns where table_name = '" + f.table + "'") + " columns, "
                + f.count("select count(*) from pg_indexes where tablename = '" + f.table + "'") + " indexes, "
                + f.count("select count(*) from pg_constraint where conrelid = '" + f.table + "'::regclass") + " constraints";
    }
}
