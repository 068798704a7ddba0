package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.schema.DdlStatement;
import dev.flagway.schema.SchemaOperation;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The planner's model of online DDL against the server itself, for every operation it plans on a
 * plain table and every column change on a FULLTEXT and a compressed table: when the plan blocks writes, the server refuses every
 * less blocking clause (a refused ALTER changes nothing), and then the planned statement runs. So the
 * planner never blocks writes where the server could work online, and never promises an online
 * change the server cannot make.
 */
class OnlineDdlMatrixTest {
    private static final String COLUMNS = "(id BIGINT PRIMARY KEY, email VARCHAR(100), v INT NOT NULL DEFAULT 1, n INT,"
            + " w INT, q BIGINT, bio TEXT, p BIGINT, KEY ix_email (email), CONSTRAINT u_n UNIQUE (n),"
            + " CONSTRAINT c_v CHECK (v > 0), CONSTRAINT fk_p FOREIGN KEY (p) REFERENCES %s (id)%s)%s";

    /**
     * What a FULLTEXT index or compressed rows can change: the column changes (table rebuilds), with
     * an index build and a rename as controls.
     */
    private static final List<Function<String, SchemaOperation>> COLUMN_CHANGES = List.of(
            t -> SchemaOperation.addColumn(t, "added", SQLDataType.VARCHAR(320)),
            t -> SchemaOperation.createIndex(t, "ix_v", "v"),
            t -> SchemaOperation.dropColumn(t, "w"),
            t -> SchemaOperation.dropColumn(t, "email"),
            t -> SchemaOperation.renameColumn(t, "w", "w2"),
            t -> SchemaOperation.changeColumnType(t, "email", SQLDataType.VARCHAR(200)),
            t -> SchemaOperation.setNotNull(t, "w"),
            t -> SchemaOperation.dropNotNull(t, "v"));
    /** Every other operation the planner plans. */
    private static final List<Function<String, SchemaOperation>> OTHERS = List.of(
            t -> SchemaOperation.addColumn(t, "added", SQLDataType.VARCHAR(20), DSL.inline("x")),
            t -> SchemaOperation.createUniqueIndex(t, "ux_id_v", "id", "v"),
            t -> SchemaOperation.dropIndex(t, "ix_email"),
            t -> SchemaOperation.changeColumnType(t, "v", SQLDataType.BIGINT),
            t -> SchemaOperation.addCheck(t, "c_w", DSL.field(DSL.name("w")).gt(0)),
            t -> SchemaOperation.addForeignKey(t, "fk_q", "q", t + "_parent", "id"),
            t -> SchemaOperation.dropConstraint(t, "fk_p"),
            t -> SchemaOperation.dropConstraint(t, "u_n"),
            t -> SchemaOperation.dropConstraint(t, "c_v"),
            t -> SchemaOperation.dropConstraint(t, "PRIMARY"));

    private enum Kind {
        PLAIN("", "", Stream.concat(COLUMN_CHANGES.stream(), OTHERS.stream()).toList()),
        FULLTEXT(", FULLTEXT KEY ft (bio)", "", COLUMN_CHANGES),
        COMPRESSED("", " ROW_FORMAT=COMPRESSED", COLUMN_CHANGES);

        final String index;
        final String options;
        final List<Function<String, SchemaOperation>> operations;

        Kind(String index, String options, List<Function<String, SchemaOperation>> operations) {
            this.index = index;
            this.options = options;
            this.operations = operations;
        }
    }

    private final String table = Sql.table("matrix");
    private DataSource ds;

    @AfterEach
    void dropTables() throws Exception {
        if (ds != null) {
            Sql.drop(ds, table, table + "_parent");
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void everyPlannedStatementRunsAndNoneBlocksWritesWhereTheServerWorksOnline(Server server) throws Exception {
        ds = server.dataSource();
        Sql.exec(ds, "CREATE TABLE `" + table + "_parent` (id BIGINT PRIMARY KEY)");
        MySqlDialect dialect = MySqlDialect.builder(ds)
                .settings(MySqlSettings.custom().allowBlockingDdl("matrix test").build()).build();
        List<String> plans = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (Function<String, SchemaOperation> operation : kind.operations) {
                SchemaOperation op = operation.apply(table);
                create(kind);
                DdlStatement planned = single(dialect.plan(op));
                plans.add(kind + " " + op.describe() + ": " + clause(planned.sql()));

                for (String lessBlocking : lessBlockingThan(clause(planned.sql()))) {
                    String attempt = statementWithout(planned.sql()) + lessBlocking;
                    assertThatThrownBy(() -> Sql.exec(ds, attempt)).as("%s on a %s table: the server accepts %s",
                            op.describe(), kind, lessBlocking).isInstanceOf(SQLException.class);
                }
                Sql.exec(ds, planned.sql());
            }
        }
        System.out.printf("%s plans:%n  %s%n", server, String.join("\n  ", plans));
        assertThat(plans).hasSize(3 * COLUMN_CHANGES.size() + OTHERS.size());
    }

    private void create(Kind kind) throws SQLException {
        Sql.drop(ds, table);
        Sql.exec(ds, "CREATE TABLE `" + table + "` " + String.format(COLUMNS, "`" + table + "_parent`", kind.index,
                kind.options), "INSERT INTO `" + table + "` (id, email, v, n, w, bio) VALUES (1, 'a@b', 1, 1, 1, 'text')");
    }

    private static DdlStatement single(List<DdlStatement> plan) {
        assertThat(plan).hasSize(1);
        return plan.get(0);
    }

    private static String clause(String sql) {
        return sql.substring(sql.lastIndexOf(", algorithm="));
    }

    private static String statementWithout(String sql) {
        return sql.substring(0, sql.lastIndexOf(", algorithm="));
    }

    /** The clauses that block less than {@code planned}: none for online plans. */
    private static List<String> lessBlockingThan(String planned) {
        if (planned.equals(Algorithm.COPY.clause())) {
            return List.of(Algorithm.INPLACE.clause(), Algorithm.INPLACE_BLOCKING_WRITES.clause());
        }
        return planned.equals(Algorithm.INPLACE_BLOCKING_WRITES.clause()) ? List.of(Algorithm.INPLACE.clause()) : List.of();
    }
}
