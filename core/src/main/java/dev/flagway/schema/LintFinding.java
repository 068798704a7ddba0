package dev.flagway.schema;

import dev.flagway.internal.Checks;

/**
 * One unsafe request, found by the linter or by a dialect while it plans the request.
 *
 * @param rule the rule it breaks
 * @param operation the offending operation
 * @param detail what was found on the server that makes it unsafe (e.g. {@code the table uses the
 *     MyISAM engine}), empty when the rule says it all
 */
public record LintFinding(LintRule rule, SchemaOperation operation, String detail) {
    /** Checks the fields. */
    public LintFinding {
        Checks.notNull("rule", rule);
        Checks.notNull("operation", operation);
        Checks.notNull("detail", detail);
    }

    /** A finding the rule says all about. */
    public LintFinding(LintRule rule, SchemaOperation operation) {
        this(rule, operation, "");
    }

    /** The message: operation, what was found, risk and safe alternative. */
    public String message() {
        return operation.describe() + ": " + (detail.isEmpty() ? "" : detail + "; ") + rule.risk() + "; instead, "
                + rule.alternative() + " [" + rule.name() + "]";
    }
}
