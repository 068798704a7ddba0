package dev.flagway.schema;

import dev.flagway.internal.Checks;

/**
 * One unsafe request found by the linter.
 *
 * @param rule the rule it breaks
 * @param operation the offending operation
 */
public record LintFinding(LintRule rule, SchemaOperation operation) {
    /** Checks the fields. */
    public LintFinding {
        Checks.notNull("rule", rule);
        Checks.notNull("operation", operation);
    }

    /** The message: operation, risk and safe alternative. */
    public String message() {
        return operation.describe() + ": " + rule.risk() + "; instead, " + rule.alternative()
                + " [" + rule.name() + "]";
    }
}
