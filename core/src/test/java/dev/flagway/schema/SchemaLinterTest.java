package dev.flagway.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.flagway.dialect.Dialect;
import dev.flagway.dialect.H2Dialect;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;

class SchemaLinterTest {
    private final SchemaLinter linter = new SchemaLinter(new H2Dialect());

    @Test
    void eachUnsafeRequestIsRefusedWithItsSafeAlternative() {
        Map<SchemaOperation, String> unsafe = Map.of(
                SchemaOperation.addColumn("users", "created", SQLDataType.TIMESTAMP, DSL.currentTimestamp()),
                "add the column nullable or with a constant default",
                SchemaOperation.changeColumnType("users", "email", SQLDataType.CLOB),
                "add a new column of the new type",
                SchemaOperation.addColumn("users", "tier", SQLDataType.INTEGER.notNull()),
                "which validates a CHECK first",
                SchemaOperation.setNotNull("users", "email").direct(),
                "which validates a CHECK first",
                SchemaOperation.createIndex("users", "users_email_idx", "email").nonConcurrent(),
                "builds concurrently",
                SchemaOperation.addCheck("users", "email_len", DSL.field("email").isNotNull()).validatingImmediately(),
                "add it NOT VALID",
                SchemaOperation.addForeignKey("orders", "orders_user_fk", "user_id", "users", "id").validatingImmediately(),
                "add it NOT VALID",
                SchemaOperation.renameColumn("users", "email", "mail"),
                "add a new column, migrate to it with Flagway");
        unsafe.forEach((op, alternative) -> assertThatThrownBy(() -> linter.requireSafe(List.of(op), List.of()))
                .isInstanceOf(UnsafeOperationException.class)
                .hasMessageContaining(op.describe())
                .hasMessageContaining(alternative));
    }

    @Test
    void safeRequestsPass() {
        assertThatCode(() -> linter.requireSafe(List.of(
                SchemaOperation.addColumn("users", "email_normalized", SQLDataType.VARCHAR(320)),
                SchemaOperation.addColumn("users", "tier", SQLDataType.INTEGER.notNull(), DSL.inline(0)),
                SchemaOperation.createIndex("users", "users_norm_idx", "email_normalized"),
                SchemaOperation.addCheck("users", "norm_len", DSL.field("email_normalized").isNotNull()),
                SchemaOperation.setNotNull("users", "email_normalized"),
                SchemaOperation.dropColumn("users", "email")), List.of())).doesNotThrowAnyException();
    }

    @Test
    void anExplicitOverrideLetsTheRequestThroughButOnlyForItsRule() {
        SchemaOperation rename = SchemaOperation.renameColumn("users", "email", "mail");
        SchemaOperation index = SchemaOperation.createIndex("users", "i", "email").nonConcurrent();

        assertThatCode(() -> linter.requireSafe(List.of(rename),
                List.of(new LintOverride(LintRule.COLUMN_RENAME, "no instance reads it: feature never shipped"))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> linter.requireSafe(List.of(rename, index),
                List.of(new LintOverride(LintRule.COLUMN_RENAME, "feature never shipped"))))
                .isInstanceOf(UnsafeOperationException.class)
                .satisfies(e -> assertThat(((UnsafeOperationException) e).findings()).singleElement()
                        .extracting(LintFinding::rule).isEqualTo(LintRule.NON_CONCURRENT_INDEX));
        assertThatThrownBy(() -> new LintOverride(LintRule.COLUMN_RENAME, " "))
                .hasMessageContaining("needs a reason");
    }

    @Test
    void hostileIdentifiersAreRefusedBeforeAnyStatementIsBuilt() {
        assertThatThrownBy(() -> SchemaOperation.addColumn("users; drop table users", "x", SQLDataType.INTEGER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a plain SQL identifier");
        assertThatThrownBy(() -> SchemaOperation.dropColumn("users", "email\" cascade --"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a plain SQL identifier");
        assertThatThrownBy(() -> SchemaOperation.createIndex("a.b.c", "i", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one '.'");
        assertThatThrownBy(() -> SchemaOperation.dropIndex("users", "i".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 63");
        assertThatThrownBy(() -> new SchemaOperation.DropColumn(DSL.name("users"), DSL.name("a\"b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a plain SQL identifier");
        assertThatThrownBy(() -> new SchemaOperation.DropColumn(DSL.name("users"), DSL.name("s", "c")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("single unqualified identifier");
    }

    @Test
    void anOperationAndTheSqlThatDoesTheSameBreakTheSameRules() {
        SchemaLinter postgres = new SchemaLinter(dialect(SQLDialect.POSTGRES));
        SqlLinter sql = SqlLinter.forServer(ServerKind.POSTGRESQL);
        Map<SchemaOperation, String> same = Map.of(
                SchemaOperation.addColumn("users", "tier", SQLDataType.INTEGER.notNull()),
                "ALTER TABLE users ADD COLUMN tier int NOT NULL",
                SchemaOperation.addColumn("users", "seq", SQLDataType.BIGINT.identity(true)),
                "ALTER TABLE users ADD COLUMN seq bigserial",
                SchemaOperation.addColumn("users", "token", SQLDataType.UUID, DSL.uuid()),
                "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()",
                SchemaOperation.addColumn("users", "created", SQLDataType.TIMESTAMP, DSL.currentTimestamp()),
                "ALTER TABLE users ADD COLUMN created timestamp DEFAULT now()",
                SchemaOperation.createIndex("users", "users_email_idx", "email").nonConcurrent(),
                "CREATE INDEX users_email_idx ON users (email)",
                SchemaOperation.createIndex("users", "users_email_idx", "email"),
                "CREATE INDEX CONCURRENTLY users_email_idx ON users (email)",
                SchemaOperation.addForeignKey("orders", "orders_user_fk", "user_id", "users", "id").validatingImmediately(),
                "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)",
                SchemaOperation.setNotNull("users", "email").direct(),
                "ALTER TABLE users ALTER COLUMN email SET NOT NULL",
                SchemaOperation.changeColumnType("users", "tier", SQLDataType.BIGINT),
                "ALTER TABLE users ALTER COLUMN tier TYPE bigint",
                SchemaOperation.renameColumn("users", "email", "mail"),
                "ALTER TABLE users RENAME COLUMN email TO mail");

        same.forEach((operation, statement) -> assertThat(postgres.check(operation))
                .as(statement).extracting(LintFinding::rule)
                .containsExactlyElementsOf(sql.lint("a.sql", statement).findings().stream().map(SqlFinding::rule).toList()));
        assertThat(postgres.check(SchemaOperation.addColumn("users", "created", SQLDataType.TIMESTAMP,
                DSL.currentTimestamp()))).as("now() is stable: PostgreSQL stores its value once").isEmpty();
    }

    @Test
    void onMySqlADeliberatelyBlockingIndexBuildIsALockFindingNotAConcurrencyOne() {
        SchemaLinter mysql = new SchemaLinter(dialect(SQLDialect.MYSQL));

        assertThat(mysql.check(SchemaOperation.createIndex("users", "i", "email").nonConcurrent()))
                .extracting(LintFinding::rule).containsExactly(LintRule.BLOCKING_LOCK);
        assertThat(mysql.check(SchemaOperation.createIndex("users", "i", "email"))).isEmpty();
        assertThat(mysql.check(SchemaOperation.addCheck("users", "c", DSL.field("n").isNotNull())))
                .as("the dialect plans it with LOCK=NONE, so the server refuses instead of copying").isEmpty();
    }

    /** A dialect that only names its jOOQ dialect: all the linter asks of it. */
    private static Dialect dialect(SQLDialect sqlDialect) {
        return (Dialect) Proxy.newProxyInstance(Dialect.class.getClassLoader(), new Class<?>[] {Dialect.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sqlDialect")) {
                        return sqlDialect;
                    }
                    if (method.isDefault()) {
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void onlyExpandOperationsHaveInverses() {
        assertThat(SchemaOperation.addColumn("users", "n", SQLDataType.INTEGER).inverse())
                .contains(SchemaOperation.dropColumn("users", "n"));
        assertThat(SchemaOperation.createIndex("s.users", "i", "n").inverse())
                .contains(SchemaOperation.dropIndex("s.users", "i"));
        assertThat(SchemaOperation.setNotNull("users", "n").inverse()).contains(SchemaOperation.dropNotNull("users", "n"));
        assertThat(SchemaOperation.dropColumn("users", "n").inverse()).isEmpty();
    }
}
