package dev.flagway.schema;

import dev.flagway.dialect.Dialect;
import dev.flagway.internal.Checks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jooq.Field;
import org.jooq.Param;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses unsafe schema requests before they run. The rules every database shares live here; a
 * {@link Dialect} adds its own through {@link Dialect#lint(SchemaOperation)}.
 */
public final class SchemaLinter {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaLinter.class);

    private final Dialect dialect;

    /** A linter with the shared rules and those of {@code dialect}. */
    public SchemaLinter(Dialect dialect) {
        this.dialect = Checks.notNull("dialect", dialect);
    }

    /** Every finding for {@code operation}; empty when it is safe. */
    public List<LintFinding> check(SchemaOperation operation) {
        List<LintFinding> findings = new ArrayList<>();
        for (LintRule rule : sharedRules(operation)) {
            findings.add(new LintFinding(rule, operation));
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

    private static List<LintRule> sharedRules(SchemaOperation operation) {
        if (operation instanceof SchemaOperation.AddColumn add) {
            Field<?> defaultValue = add.defaultValue() != null ? add.defaultValue()
                    : add.type().defaulted() ? add.type().default_() : null;
            if (defaultValue != null && !(defaultValue instanceof Param)) {
                return List.of(LintRule.VOLATILE_DEFAULT);
            }
            if (!add.type().nullable() && defaultValue == null) {
                return List.of(LintRule.NOT_NULL_WITHOUT_CHECK);
            }
        } else if (operation instanceof SchemaOperation.SetNotNull set && !set.viaCheck()) {
            return List.of(LintRule.NOT_NULL_WITHOUT_CHECK);
        } else if (operation instanceof SchemaOperation.CreateIndex index && !index.concurrently()) {
            return List.of(LintRule.NON_CONCURRENT_INDEX);
        } else if (operation instanceof SchemaOperation.AddCheck check && !check.deferValidation()) {
            return List.of(LintRule.VALIDATING_CONSTRAINT);
        } else if (operation instanceof SchemaOperation.AddForeignKey key && !key.deferValidation()) {
            return List.of(LintRule.VALIDATING_CONSTRAINT);
        } else if (operation instanceof SchemaOperation.ChangeColumnType) {
            return List.of(LintRule.TYPE_CHANGE_IN_PLACE);
        } else if (operation instanceof SchemaOperation.RenameColumn) {
            return List.of(LintRule.COLUMN_RENAME);
        }
        return List.of();
    }
}
