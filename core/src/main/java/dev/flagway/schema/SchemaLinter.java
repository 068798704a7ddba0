package dev.flagway.schema;

import dev.flagway.internal.Checks;
import dev.flagway.schema.DdlChange.Generated;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.impl.QOM;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses unsafe schema requests before they run. Each operation is judged by the rules of
 * {@link LintRule} for the dialect's server ({@link ServerKind#of}), the same rules {@link SqlLinter}
 * applies to SQL files; a {@link DdlDialect} adds its own findings through
 * {@link DdlDialect#lint(SchemaOperation)}.
 */
public final class SchemaLinter {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaLinter.class);

    private final DdlDialect dialect;
    private final LintChecks checks;
    private final SqlPieces pieces;

    /** A linter with the rules for {@code dialect}'s server and those of {@code dialect} itself. */
    public SchemaLinter(DdlDialect dialect) {
        this.dialect = Checks.notNull("dialect", dialect);
        ServerKind server = ServerKind.of(dialect.sqlDialect());
        this.checks = new LintChecks(server);
        this.pieces = new SqlPieces(server);
    }

    /** Every finding for {@code operation}, one per rule; empty when it is safe. */
    public List<LintFinding> check(SchemaOperation operation) {
        List<LintFinding> findings = new ArrayList<>();
        for (LintChecks.Hit hit : checks.check(changes(operation), new LintContext())) {
            LintFinding finding = new LintFinding(hit.rule(), operation);
            if (!findings.contains(finding)) {
                findings.add(finding);
            }
        }
        findings.addAll(dialect.lint(operation));
        return findings;
    }

    /**
     * Checks every operation and refuses the batch if any finding is not overridden; overridden
     * findings are logged at WARN with their reason.
     *
     * @throws UnsafeOperationException listing every finding that is not overridden
     */
    public void requireSafe(List<SchemaOperation> operations, Collection<LintOverride> overrides) {
        Set<LintRule> allowed = overrides.stream().map(LintOverride::rule).collect(Collectors.toSet());
        List<LintFinding> refused = new ArrayList<>();
        for (SchemaOperation operation : operations) {
            for (LintFinding finding : check(operation)) {
                if (allowed.contains(finding.rule())) {
                    String reason = overrides.stream().filter(o -> o.rule() == finding.rule())
                            .map(LintOverride::reason).findFirst().orElseThrow();
                    LOG.warn("Lint override: running {} despite {} (reason: {})", operation.describe(),
                            finding.rule(), reason);
                } else {
                    refused.add(finding);
                }
            }
        }
        if (!refused.isEmpty()) {
            throw new UnsafeOperationException(refused);
        }
    }

    /**
     * The operation as the change the rules judge. The dialects run every operation online on
     * MySQL and MariaDB ({@code LOCK=NONE}, or they refuse it), except a deliberately
     * non-concurrent index build, which runs under {@code LOCK=SHARED}.
     */
    private StatementChanges changes(SchemaOperation operation) {
        return operation.accept(new AsChange(TableRef.of(operation.table())));
    }

    /** Each operation as the statement the rules judge: its one change, online unless it says otherwise. */
    private final class AsChange implements SchemaOperation.Visitor<StatementChanges, RuntimeException> {
        private final TableRef table;

        AsChange(TableRef table) {
            this.table = table;
        }

        private static StatementChanges online(DdlChange change) {
            return under("NONE", change);
        }

        private static StatementChanges under(String lock, DdlChange change) {
            return new StatementChanges(List.of(new StatementChanges.Located(change, 0)), "", lock);
        }

        @Override
        public StatementChanges addColumn(SchemaOperation.AddColumn add) {
            DataType<?> type = add.type();
            Field<?> defaultValue = add.defaultValue() != null ? add.defaultValue()
                    : type.defaulted() ? type.default_() : null;
            Generated generated = !type.computedOnServer() ? Generated.NONE
                    : type.generationOption() == QOM.GenerationOption.VIRTUAL ? Generated.VIRTUAL : Generated.STORED;
            return online(new DdlChange.AddColumn(table, add.column().last(), !type.nullable(),
                    defaultValue == null ? null : ColumnDefault.of(defaultValue, pieces),
                    type.identity(), generated, Set.of()));
        }

        @Override
        public StatementChanges createIndex(SchemaOperation.CreateIndex index) {
            return under(index.concurrently() ? "NONE" : "SHARED", new DdlChange.CreateIndex(table,
                    index.index().last(), index.concurrently(), DdlChange.IndexKind.PLAIN));
        }

        @Override
        public StatementChanges addCheck(SchemaOperation.AddCheck check) {
            String notNullColumn = check.check() instanceof QOM.IsNotNull isNotNull
                    ? SqlPieces.fold(isNotNull.$field().getUnqualifiedName()) : null;
            return online(new DdlChange.AddConstraint(table, check.constraint().last(), DdlChange.ConstraintKind.CHECK,
                    check.deferValidation(), false, notNullColumn));
        }

        @Override
        public StatementChanges addForeignKey(SchemaOperation.AddForeignKey key) {
            return online(new DdlChange.AddConstraint(table, key.constraint().last(), DdlChange.ConstraintKind.FOREIGN_KEY,
                    key.deferValidation(), false, null));
        }

        @Override
        public StatementChanges setNotNull(SchemaOperation.SetNotNull set) {
            return online(new DdlChange.SetNotNull(table, set.column().last(), set.viaCheck()));
        }

        @Override
        public StatementChanges dropNotNull(SchemaOperation.DropNotNull drop) {
            return online(new DdlChange.Metadata(table));
        }

        @Override
        public StatementChanges dropColumn(SchemaOperation.DropColumn drop) {
            return online(new DdlChange.DropColumn(table, drop.column().last(), true));
        }

        @Override
        public StatementChanges dropIndex(SchemaOperation.DropIndex drop) {
            return online(new DdlChange.DropIndex(table, drop.index().last(), true));
        }

        @Override
        public StatementChanges dropConstraint(SchemaOperation.DropConstraint drop) {
            return online(new DdlChange.Metadata(table));
        }

        @Override
        public StatementChanges changeColumnType(SchemaOperation.ChangeColumnType type) {
            return online(new DdlChange.ChangeType(table, type.column().last(), "the type becomes " + type.type().getName()));
        }

        @Override
        public StatementChanges renameColumn(SchemaOperation.RenameColumn rename) {
            return online(new DdlChange.RenameColumn(table, rename.from().last(), rename.to().last()));
        }
    }
}
