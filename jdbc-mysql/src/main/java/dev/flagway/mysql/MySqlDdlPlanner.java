package dev.flagway.mysql;

import dev.flagway.schema.DdlException;
import dev.flagway.schema.DdlMode;
import dev.flagway.schema.DdlQueries;
import dev.flagway.schema.DdlStatement;
import dev.flagway.schema.LintFinding;
import dev.flagway.schema.LintRule;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.schema.UnsafeOperationException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Query;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns schema operations into lock-safe ALTER TABLE statements for the live table: it reads the
 * table first and picks {@code ALGORITHM=INSTANT} where server and table allow it, else
 * {@code ALGORITHM=INPLACE, LOCK=NONE}, and refuses what would copy the table or block writes unless
 * the settings allow blocking DDL. The server checks the clause too: a change it cannot make that
 * way fails at once with its reason (error 1845/1846) instead of blocking. Operations already applied plan no statement (MySQL has no {@code IF [NOT] EXISTS} for
 * columns and indexes), so a re-run finishes an interrupted expand.
 *
 * <p>Every statement is {@link DdlMode#ONLINE}: MySQL DDL commits implicitly, so none runs inside a
 * transaction, and the executor restores the session's timeouts after online statements.
 */
final class MySqlDdlPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(MySqlDdlPlanner.class);
    /** ER_DUP_FIELDNAME: the column was added meanwhile. */
    private static final String DUPLICATE_COLUMN = "42S21";

    private final DataSource dataSource;
    private final MySqlServer server;
    private final MySqlSettings settings;
    private final DSLContext dsl;
    private final SchemaInspector inspector;

    MySqlDdlPlanner(DataSource dataSource, MySqlServer server, MySqlSettings settings, DSLContext dsl) {
        this.dataSource = dataSource;
        this.server = server;
        this.settings = settings;
        this.dsl = dsl;
        this.inspector = new SchemaInspector(server);
    }

    List<DdlStatement> plan(SchemaOperation operation) {
        try (Connection c = dataSource.getConnection()) {
            TableFacts facts = inspector.inspect(c, operation.table());
            if (!facts.exists()) {
                throw new DdlException("cannot plan " + operation.describe() + ": table "
                        + String.join(".", operation.table().getName()) + " does not exist");
            }
            return plan(c, operation, facts);
        } catch (SQLException e) {
            throw new DdlException("could not read table " + String.join(".", operation.table().getName())
                    + " to plan " + operation.describe(), e);
        }
    }

    private List<DdlStatement> plan(Connection c, SchemaOperation operation, TableFacts facts) throws SQLException {
        return operation.accept(new Planning(c, facts));
    }

    /** Each operation planned against the table as it is now, on the connection that read it. */
    private final class Planning implements SchemaOperation.Visitor<List<DdlStatement>, SQLException> {
        private final Connection c;
        private final TableFacts facts;

        Planning(Connection c, TableFacts facts) {
            this.c = c;
            this.facts = facts;
        }

        @Override
        public List<DdlStatement> addColumn(SchemaOperation.AddColumn op) {
            return MySqlDdlPlanner.this.addColumn(op, facts);
        }

        @Override
        public List<DdlStatement> createIndex(SchemaOperation.CreateIndex op) {
            if (facts.hasIndex(op.index().last())) {
                return alreadyApplied(op);
            }
            Query add = DSL.query("alter table {0} add {1} {2} ({3})", DSL.table(op.table()),
                    DSL.keyword(op.unique() ? "unique index" : "index"), op.index(),
                    DSL.list(op.columns().stream().map(DSL::field).toList()));
            return online(op, add, facts, op.concurrently() ? Algorithm.INPLACE : Algorithm.INPLACE_BLOCKING_WRITES);
        }

        @Override
        public List<DdlStatement> dropIndex(SchemaOperation.DropIndex op) {
            if (!facts.hasIndex(op.index().last())) {
                return alreadyApplied(op);
            }
            return online(op, DSL.query("alter table {0} drop index {1}", DSL.table(op.table()), op.index()), facts,
                    Algorithm.INPLACE);
        }

        @Override
        public List<DdlStatement> dropColumn(SchemaOperation.DropColumn op) throws SQLException {
            return MySqlDdlPlanner.this.dropColumn(c, op, facts);
        }

        @Override
        public List<DdlStatement> renameColumn(SchemaOperation.RenameColumn op) {
            return online(op, DdlQueries.renameColumn(dsl, op), facts, Algorithm.INPLACE);
        }

        @Override
        public List<DdlStatement> changeColumnType(SchemaOperation.ChangeColumnType op) {
            return MySqlDdlPlanner.this.changeColumnType(op, facts);
        }

        @Override
        public List<DdlStatement> addCheck(SchemaOperation.AddCheck op) {
            if (facts.constraintType(op.constraint().last()) != null) {
                return alreadyApplied(op);
            }
            return copy(op, DdlQueries.addCheck(dsl, op), "MySQL and MariaDB validate a new CHECK constraint by copying "
                    + "the table");
        }

        @Override
        public List<DdlStatement> addForeignKey(SchemaOperation.AddForeignKey op) {
            if (facts.constraintType(op.constraint().last()) != null) {
                return alreadyApplied(op);
            }
            return copy(op, DdlQueries.addForeignKey(dsl, op), "with foreign_key_checks on, MySQL and MariaDB add a "
                    + "foreign key by copying the table");
        }

        @Override
        public List<DdlStatement> dropConstraint(SchemaOperation.DropConstraint op) {
            return MySqlDdlPlanner.this.dropConstraint(op, facts);
        }

        @Override
        public List<DdlStatement> setNotNull(SchemaOperation.SetNotNull op) throws SQLException {
            return nullability(c, op, op.column(), true, facts);
        }

        @Override
        public List<DdlStatement> dropNotNull(SchemaOperation.DropNotNull op) throws SQLException {
            return nullability(c, op, op.column(), false, facts);
        }
    }

    /**
     * {@code MODIFY} with the column's own definition and the other nullability: an online rebuild
     * that, making a column NOT NULL, fails without changing anything while a NULL remains (the
     * server requires a strict SQL mode for it in place).
     */
    private List<DdlStatement> nullability(Connection c, SchemaOperation op, Name column, boolean notNull,
            TableFacts facts) throws SQLException {
        TableFacts.Column current = facts.column(column.last());
        if (current != null && current.nullable() != notNull) {
            return alreadyApplied(op);
        }
        String definition = current == null ? null
                : inspector.columnDefinition(c, dsl.render(DSL.table(op.table())), column.last());
        if (definition == null) {
            throw new DdlException("cannot plan " + op.describe() + ": the table has no column " + column.last());
        }
        Query modify = DSL.query("alter table {0} modify {1} {2}", DSL.table(op.table()), column,
                DSL.raw(ColumnDefinition.withNullability(definition, notNull)));
        return columnChange(op, modify, facts, false);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private List<DdlStatement> addColumn(SchemaOperation.AddColumn op, TableFacts facts) {
        if (facts.column(op.column().last()) != null) {
            return alreadyApplied(op);
        }
        DataType type = op.type();
        if (op.defaultValue() != null) {
            type = type.defaultValue((Field) op.defaultValue());
        }
        Query add = dsl.alterTable(op.table()).add(DSL.field(op.column(), type));
        return columnChange(op, add, facts, server.supportsInstantAddColumn()).stream()
                .map(s -> s.alreadyAppliedOn(DUPLICATE_COLUMN)).toList();
    }

    private List<DdlStatement> dropColumn(Connection c, SchemaOperation.DropColumn op, TableFacts facts)
            throws SQLException {
        String column = op.column().last();
        if (facts.column(column) == null) {
            return alreadyApplied(op);
        }
        List<String> readers = inspector.readersOf(c, op.table(), column);
        if (!readers.isEmpty()) {
            throw new UnsafeOperationException(new LintFinding(LintRule.COLUMN_STILL_READ, op,
                    "read by " + String.join(", ", readers)));
        }
        boolean instant = server.supportsInstantDropColumn() && !facts.indexed(column);
        return columnChange(op, dsl.alterTable(op.table()).dropColumn(op.column()), facts, instant);
    }

    /**
     * A type change runs in place only when it widens a VARCHAR (the server still refuses it with
     * its reason when the length prefix would grow); every other change copies the table.
     */
    private List<DdlStatement> changeColumnType(SchemaOperation.ChangeColumnType op, TableFacts facts) {
        TableFacts.Column current = facts.column(op.column().last());
        DataType<?> target = op.type();
        boolean widensVarchar = current != null && "varchar".equals(current.dataType())
                && target.getSQLDataType() == SQLDataType.VARCHAR && target.hasLength()
                && target.length() >= current.maxLength();
        if (widensVarchar) {
            return online(op, DdlQueries.changeColumnType(dsl, op), facts, Algorithm.INPLACE);
        }
        String from = current == null ? "a missing column" : current.dataType()
                + (current.maxLength() > 0 ? "(" + current.maxLength() + ")" : "");
        return copy(op, DdlQueries.changeColumnType(dsl, op), "changing " + from + " to "
                + target.getTypeName(dsl.configuration()) + " rewrites every row");
    }

    private List<DdlStatement> dropConstraint(SchemaOperation.DropConstraint op, TableFacts facts) {
        String type = facts.constraintType(op.constraint().last());
        if (type == null) {
            return alreadyApplied(op);
        }
        Name table = op.table();
        switch (type.toUpperCase(Locale.ROOT)) {
            case "FOREIGN KEY":
                return online(op, dsl.alterTable(table).dropForeignKey(op.constraint()), facts, Algorithm.INPLACE);
            case "UNIQUE":
                return online(op, DSL.query("alter table {0} drop index {1}", DSL.table(table), op.constraint()), facts,
                        Algorithm.INPLACE);
            case "CHECK":
                return online(op, DSL.query(server.isMariaDb() ? "alter table {0} drop constraint {1}"
                        : "alter table {0} drop check {1}", DSL.table(table), op.constraint()), facts, Algorithm.INPLACE);
            default:
                return copy(op, DSL.query("alter table {0} drop primary key", DSL.table(table)),
                        "dropping the primary key rebuilds the table around a hidden key");
        }
    }

    /**
     * A column change: INSTANT when the server supports it for this change and the table has no
     * obstacle; else an online rebuild. A FULLTEXT index rules out both: MariaDB then rebuilds in
     * place while blocking writes, MySQL 8 only by copying the table.
     */
    private List<DdlStatement> columnChange(SchemaOperation op, Query query, TableFacts facts, boolean instant) {
        String obstacle = facts.instantObstacle(server.instantRowVersionLimit());
        if (instant && obstacle == null && !facts.hasFulltextIndex()) {
            return online(op, query, facts, Algorithm.INSTANT);
        }
        if (facts.hasFulltextIndex()) {
            return server.rebuildsFulltextTablesInPlace()
                    ? blocking(op, query, Algorithm.INPLACE_BLOCKING_WRITES, LintRule.BLOCKING_LOCK,
                            "the table has a FULLTEXT index, so the change rebuilds it under LOCK=SHARED")
                    : copy(op, query, "the table has a FULLTEXT index, which MySQL rebuilds only by copying the table");
        }
        if (instant) {
            LOG.info("Planning {} with ALGORITHM=INPLACE, LOCK=NONE instead of INSTANT: {}", op.describe(), obstacle);
        }
        return online(op, query, facts, Algorithm.INPLACE);
    }

    /** An online statement on an InnoDB table; other engines can only copy. */
    private List<DdlStatement> online(SchemaOperation op, Query query, TableFacts facts, Algorithm algorithm) {
        if (!facts.innodb()) {
            return copy(op, query, "the table uses the " + facts.engine() + " engine, which has no online DDL");
        }
        return List.of(statement(op, query, algorithm));
    }

    private List<DdlStatement> copy(SchemaOperation op, Query query, String why) {
        return blocking(op, query, Algorithm.COPY, LintRule.TABLE_COPY, why);
    }

    /** A statement that blocks writes: refused unless the settings allow blocking DDL. */
    private List<DdlStatement> blocking(SchemaOperation op, Query query, Algorithm algorithm, LintRule rule, String why) {
        String reason = settings.blockingDdlReason()
                .orElseThrow(() -> new UnsafeOperationException(new LintFinding(rule, op, why)));
        LOG.warn("Planning {} with{} ({}); writes to the table wait until it finishes. Blocking DDL allowed: {}",
                op.describe(), algorithm.clause().substring(1), why, reason);
        return List.of(statement(op, query, algorithm));
    }

    private DdlStatement statement(SchemaOperation op, Query query, Algorithm algorithm) {
        return DdlStatement.of(op, dsl.renderInlined(query) + algorithm.clause(), DdlMode.ONLINE);
    }

    private static List<DdlStatement> alreadyApplied(SchemaOperation op) {
        LOG.info("{}: already applied, nothing to do", op.describe());
        return List.of();
    }
}
