package dev.flagway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.schema.DdlMode;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.DdlStatement;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import java.sql.SQLException;
import java.util.List;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class PostgresDialectPlanTest {
    private final PostgresDialect dialect = new PostgresDialect();

    @Test
    void terminatedBackendsAndServerShutdownsAreLostConnectionsAStatementTimeoutIsNot() {
        assertThat(dialect.isConnectionFailure(new SQLException("terminating connection due to administrator command",
                "57P01"))).isTrue();
        assertThat(dialect.isConnectionFailure(new SQLException("the database system is shutting down", "57P03"))).isTrue();
        assertThat(dialect.isConnectionFailure(new SQLException("An I/O error occurred", "08006"))).isTrue();
        assertThat(dialect.isConnectionFailure(new SQLException("canceling statement due to statement timeout",
                "57014"))).isFalse();
    }

    @Test
    void addColumnIsIdempotentAndQuick() {
        assertThat(dialect.plan(SchemaOperation.addColumn("app.users", "email_normalized", SQLDataType.VARCHAR(320))))
                .singleElement().satisfies(s -> {
                    assertThat(s.sql()).isEqualTo(
                            "alter table \"app\".\"users\" add if not exists \"email_normalized\" varchar(320)");
                    assertThat(s.mode()).isEqualTo(DdlMode.QUICK);
                });
    }

    @Test
    void indexesAreBuiltAndDroppedConcurrentlyOutsideATransaction() {
        DdlStatement build = dialect.plan(SchemaOperation.createUniqueIndex("app.users", "users_email_idx", "email")).get(0);
        assertThat(build.sql()).isEqualTo(
                "create unique index concurrently if not exists \"users_email_idx\" on \"app\".\"users\" (\"email\")");
        assertThat(build.mode()).isEqualTo(DdlMode.ONLINE);
        assertThat(build.guard().describe()).contains("INVALID", "drop index concurrently if exists \"app\".\"users_email_idx\"");
        assertThat(dialect.plan(SchemaOperation.dropIndex("app.users", "users_email_idx")).get(0).sql())
                .isEqualTo("drop index concurrently if exists \"app\".\"users_email_idx\"");
    }

    @Test
    void constraintsAreAddedNotValidThenValidatedSeparately() {
        List<DdlStatement> fk = dialect.plan(SchemaOperation.addForeignKey("orders", "orders_user_fk", "user_id",
                "users", "id"));
        assertThat(fk).extracting(DdlStatement::sql).containsExactly(
                "alter table \"orders\" add constraint \"orders_user_fk\" foreign key (\"user_id\") references \"users\" (\"id\") not valid",
                "alter table \"orders\" validate constraint \"orders_user_fk\"");
        assertThat(fk).extracting(DdlStatement::mode).containsExactly(DdlMode.QUICK, DdlMode.VALIDATE);
        assertThat(fk.get(0).alreadyAppliedStates()).containsExactly("42710");
    }

    @Test
    void setNotNullGoesThroughAValidatedCheck() {
        assertThat(dialect.plan(SchemaOperation.setNotNull("users", "email_normalized")))
                .extracting(DdlStatement::sql).containsExactly(
                        "alter table \"users\" add constraint \"flagway_nn_email_normalized\" check (\"email_normalized\" is not null) not valid",
                        "alter table \"users\" validate constraint \"flagway_nn_email_normalized\"",
                        "alter table \"users\" alter \"email_normalized\" set not null",
                        "alter table \"users\" drop constraint if exists \"flagway_nn_email_normalized\"");
    }

    @Test
    void dryRunScriptShowsEveryStatementWithItsProfile() {
        SchemaExecutor ddl = new SchemaExecutor(new PGSimpleDataSource(), dialect, DdlSettings.ofDefaults());
        String script = ddl.script(List.of(
                SchemaOperation.addCheck("users", "norm_len", DSL.length(DSL.field(DSL.name("n"), String.class)).lt(400)),
                SchemaOperation.createIndex("users", "users_n_idx", "n")));
        assertThat(script).contains(
                "-- add check norm_len on users: short transaction, lock timeout 2s, statement timeout 30s",
                "-- add check norm_len on users: own transaction, lock timeout 2s, statement timeout 2h",
                "-- create index users_n_idx on users: outside a transaction, lock timeout 10s, statement timeout 2h",
                "-- before each attempt: if index \"users_n_idx\" exists but is INVALID");
    }
}
