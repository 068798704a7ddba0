package dev.flagway.schema;

import dev.flagway.schema.DdlChange.ConstraintKind;
import dev.flagway.schema.DdlChange.Generated;
import dev.flagway.schema.MySqlOnlineDdl.Locking;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lint rules, written once: both {@link SchemaLinter} and {@link SqlLinter} hand their changes
 * here. A change to a table or index created earlier in the same file is always safe. Findings of
 * rules that do not apply to the server ({@link LintRule#appliesTo}) are never reported.
 */
final class LintChecks {
    private final ServerKind server;

    LintChecks(ServerKind server) {
        this.server = server;
    }

    /**
     * A rule a change breaks.
     *
     * @param rule the rule
     * @param line the line the change is written on (0 for a {@link SchemaOperation})
     * @param detail what in particular breaks it, or empty
     */
    record Hit(LintRule rule, int line, String detail) {
    }

    /** The rules {@code statement} breaks; records in {@code context} what it creates and proves. */
    List<Hit> check(StatementChanges statement, LintContext context) {
        List<Hit> hits = new ArrayList<>();
        List<StatementChanges.Located> onExistingTables = new ArrayList<>();
        for (StatementChanges.Located located : statement.changes()) {
            if (!isOnNewObject(located.change(), context)) {
                onExistingTables.add(located);
                check(located.change(), located.line(), context, hits);
            }
        }
        if (server.isMySqlFamily()) {
            locking(statement, onExistingTables, context, hits);
        }
        return hits.stream().filter(h -> h.rule().appliesTo(server)).toList();
    }

    /** Whether the change is on a table or index this file created, recording what it creates. */
    private static boolean isOnNewObject(DdlChange change, LintContext context) {
        if (change instanceof DdlChange.CreateTable create) {
            context.tableCreated(create.table());
            return true;
        }
        if (change instanceof DdlChange.CreateIndex index && context.isNewTable(index.table())) {
            context.indexCreated(index.index());
            return true;
        }
        if (change instanceof DdlChange.DropIndex drop && context.isNewIndex(drop.index())) {
            return true;
        }
        if (change instanceof DdlChange.Reindex reindex && context.isNewIndex(reindex.index())) {
            return true;
        }
        return context.isNewTable(change.table());
    }

    private void check(DdlChange change, int line, LintContext context, List<Hit> hits) {
        if (change instanceof DdlChange.Unparsed unparsed) {
            hits.add(new Hit(LintRule.UNPARSED, line, unparsed.why()));
        } else if (change instanceof DdlChange.AddColumn add) {
            addColumn(add, line, context, hits);
        } else if (change instanceof DdlChange.CreateIndex index && !index.concurrently()) {
            hits.add(new Hit(LintRule.NON_CONCURRENT_INDEX, line, "CREATE INDEX without CONCURRENTLY"));
        } else if (change instanceof DdlChange.DropIndex drop && !drop.concurrently()) {
            hits.add(new Hit(LintRule.NON_CONCURRENT_INDEX, line, "DROP INDEX without CONCURRENTLY"));
        } else if (change instanceof DdlChange.Reindex reindex && !reindex.concurrently()) {
            hits.add(new Hit(LintRule.NON_CONCURRENT_INDEX, line, "REINDEX without CONCURRENTLY"));
        } else if (change instanceof DdlChange.AddConstraint constraint) {
            addConstraint(constraint, line, context, hits);
        } else if (change instanceof DdlChange.ValidateConstraint validate
                && context.validated(validate.table(), validate.name())) {
            hits.add(new Hit(LintRule.VALIDATING_CONSTRAINT, line, "validated in the same transaction that added it NOT "
                    + "VALID, so the scan runs under the lock the ADD took; validate it in a later migration"));
        } else if (change instanceof DdlChange.ChangeType type) {
            hits.add(new Hit(LintRule.TYPE_CHANGE_IN_PLACE, line, type.column() + ": " + type.how()));
        } else if (change instanceof DdlChange.SetNotNull set
                && !set.provenByCheck() && !context.provesNotNull(set.table(), set.column())) {
            hits.add(new Hit(LintRule.NOT_NULL_WITHOUT_CHECK, line, "SET NOT NULL on " + set.column()
                    + " without a validated CHECK (" + set.column() + " IS NOT NULL)"));
        } else if (change instanceof DdlChange.DropColumn drop && !drop.contract()) {
            hits.add(new Hit(LintRule.COLUMN_DROP, line, "drops " + drop.column()));
        } else if (change instanceof DdlChange.RenameColumn rename) {
            hits.add(new Hit(LintRule.COLUMN_RENAME, line, rename.from() + " becomes " + rename.to()));
        } else if (change instanceof DdlChange.RenameTable rename) {
            hits.add(new Hit(LintRule.TABLE_RENAME, line, rename.table() + " " + rename.how()));
        } else if (change instanceof DdlChange.DropTable drop) {
            hits.add(new Hit(LintRule.TABLE_DROP, line, drop.schema() ? "drops schema " + drop.table()
                    + " and every table in it" : "drops " + drop.table()));
        } else if (change instanceof DdlChange.Rebuild rebuild) {
            hits.add(new Hit(LintRule.TABLE_REBUILD, line, rebuild.how()));
        } else if (change instanceof DdlChange.ConvertCharset) {
            hits.add(new Hit(LintRule.CHARSET_CONVERSION, line, "CONVERT TO CHARACTER SET"));
        } else if (change instanceof DdlChange.DefaultCharset && server == ServerKind.MYSQL) {
            hits.add(new Hit(LintRule.TABLE_REBUILD, line,
                    "MySQL rebuilds the table when the new default character set has another encoding"));
        } else if (change instanceof DdlChange.EndTransaction) {
            context.transactionEnded();
        } else if (change instanceof DdlChange.ForeignKeyChecks checks) {
            context.foreignKeyChecks(checks.on());
        }
    }

    private void addColumn(DdlChange.AddColumn add, int line, LintContext context, List<Hit> hits) {
        String column = add.column();
        if (add.generated() == Generated.STORED) {
            hits.add(new Hit(LintRule.TABLE_REBUILD, line, "stored generated column " + column
                    + " is computed and written for every row"));
        }
        if (add.autoIncrement()) {
            hits.add(new Hit(LintRule.TABLE_REBUILD, line, "auto-numbered column " + column
                    + " (serial, identity, AUTO_INCREMENT) is filled in for every row"));
        } else if (add.defaultValue() != null) {
            add.defaultValue().volatileFunctions(server)
                    .ifPresent(why -> hits.add(new Hit(LintRule.VOLATILE_DEFAULT, line, column + ": " + why)));
        }
        if (add.notNull() && add.defaultValue() == null && !add.autoIncrement() && add.generated() == Generated.NONE) {
            hits.add(new Hit(LintRule.NOT_NULL_WITHOUT_CHECK, line, column + " is added NOT NULL without a default"));
        }
        if (add.inline().contains(ConstraintKind.FOREIGN_KEY) && (!server.isMySqlFamily() || context.foreignKeyChecks())) {
            hits.add(new Hit(LintRule.VALIDATING_CONSTRAINT, line, "the REFERENCES clause of " + column
                    + " is validated while the column is added"));
        }
        if (add.inline().contains(ConstraintKind.CHECK)) {
            hits.add(new Hit(LintRule.VALIDATING_CONSTRAINT, line, "the CHECK of " + column
                    + " is validated against every row while the column is added"));
        }
        if (add.inline().contains(ConstraintKind.UNIQUE) || add.inline().contains(ConstraintKind.PRIMARY_KEY)) {
            uniqueOrPrimaryKey(add.inline().contains(ConstraintKind.PRIMARY_KEY), false, line, hits);
        }
    }

    private void addConstraint(DdlChange.AddConstraint constraint, int line, LintContext context, List<Hit> hits) {
        switch (constraint.kind()) {
            case CHECK:
                if (constraint.deferred()) {
                    context.addedNotValid(constraint.table(), constraint.name(), constraint.notNullColumn());
                } else {
                    if (constraint.notNullColumn() != null) {
                        context.notNullProven(constraint.table(), constraint.notNullColumn());
                    }
                    hits.add(new Hit(LintRule.VALIDATING_CONSTRAINT, line, "CHECK " + named(constraint)
                            + " is validated against every row while it is added"));
                }
                break;
            case FOREIGN_KEY:
                if (constraint.deferred()) {
                    context.addedNotValid(constraint.table(), constraint.name(), null);
                } else if (!server.isMySqlFamily() || context.foreignKeyChecks()) {
                    hits.add(new Hit(LintRule.VALIDATING_CONSTRAINT, line, "FOREIGN KEY " + named(constraint)
                            + " is validated against every row while it is added"));
                }
                break;
            case EXCLUSION:
                hits.add(new Hit(LintRule.VALIDATING_CONSTRAINT, line,
                        "an exclusion constraint cannot be added NOT VALID"));
                break;
            default:
                uniqueOrPrimaryKey(constraint.kind() == ConstraintKind.PRIMARY_KEY, constraint.usingIndex(), line, hits);
        }
    }

    private void uniqueOrPrimaryKey(boolean primaryKey, boolean usingIndex, int line, List<Hit> hits) {
        if (server.isMySqlFamily()) {
            if (primaryKey) {
                hits.add(new Hit(LintRule.TABLE_REBUILD, line, "adding a primary key rebuilds the table"));
            }
        } else if (!usingIndex) {
            hits.add(new Hit(LintRule.UNIQUE_CONSTRAINT, line,
                    (primaryKey ? "PRIMARY KEY" : "UNIQUE") + " without USING INDEX"));
        }
    }

    private static String named(DdlChange.AddConstraint constraint) {
        return Optional.ofNullable(constraint.name()).orElse("(unnamed)");
    }

    /**
     * MySQL and MariaDB make every change of one ALTER TABLE together, with the most locking any of
     * them needs, unless the statement's own ALGORITHM and LOCK clauses decide otherwise.
     */
    private static void locking(StatementChanges statement, List<StatementChanges.Located> changes,
            LintContext context, List<Hit> hits) {
        if (changes.isEmpty()) {
            return;
        }
        int line = changes.get(0).line();
        if (statement.algorithm().equals("COPY")) {
            hits.add(new Hit(LintRule.TABLE_COPY, line, "ALGORITHM=COPY is requested"));
            return;
        }
        if (statement.lock().equals("SHARED") || statement.lock().equals("EXCLUSIVE")) {
            hits.add(new Hit(LintRule.BLOCKING_LOCK, line, "LOCK=" + statement.lock() + " is requested"));
            return;
        }
        if (statement.demandsOnline()) {
            return;
        }
        boolean addsPrimaryKey = changes.stream().anyMatch(c -> MySqlOnlineDdl.addsPrimaryKey(c.change()));
        MySqlOnlineDdl.Verdict worst = MySqlOnlineDdl.Verdict.ONLINE;
        int worstLine = line;
        for (StatementChanges.Located located : changes) {
            if (located.change() instanceof DdlChange.DropPrimaryKey && addsPrimaryKey) {
                continue;
            }
            MySqlOnlineDdl.Verdict verdict = MySqlOnlineDdl.of(located.change(), context.foreignKeyChecks());
            if (verdict.locking().compareTo(worst.locking()) > 0) {
                worst = verdict;
                worstLine = located.line();
            }
        }
        boolean inPlaceRequested = !statement.algorithm().isEmpty() && !statement.algorithm().equals("DEFAULT");
        if (worst.locking() == Locking.COPY && !inPlaceRequested) {
            hits.add(new Hit(LintRule.TABLE_COPY, worstLine, worst.why()));
        } else if (worst.locking() == Locking.SHARED) {
            hits.add(new Hit(LintRule.BLOCKING_LOCK, worstLine, worst.why() + " needs LOCK=SHARED"));
        }
    }
}
