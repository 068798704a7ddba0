package dev.flagway.schema;

import dev.flagway.internal.Checks;

/**
 * One rule a statement of a SQL file breaks.
 *
 * @param file the file's name, as given to {@link SqlLinter#lint}
 * @param line the line, from 1, of the statement (of the action, for one action of an ALTER TABLE;
 *        of the comment, for an {@link LintRule#INVALID_WAIVER})
 * @param rule the rule it breaks
 * @param detail what in particular breaks it (e.g. {@code default clock_timestamp() ...}), or empty
 * @param statement the statement, on one line, comments left out, shortened to about 120 characters
 */
public record SqlFinding(String file, int line, LintRule rule, String detail, String statement) {
    /** Checks the fields. */
    public SqlFinding {
        Checks.notNull("file", file);
        Checks.notNull("rule", rule);
        Checks.notNull("detail", detail);
        Checks.notNull("statement", statement);
        if (line < 1) {
            throw new IllegalArgumentException("line must be at least 1 but was " + line);
        }
    }

    /** What goes wrong when the statement runs as it is: the rule's risk. */
    public String risk() {
        return rule.risk();
    }

    /** The safe way to the same schema, in Flagway's terms: the rule's alternative. */
    public String alternative() {
        return rule.alternative();
    }

    /**
     * The finding on one line: {@code file:line: RULE: detail -- risk; instead, alternative [statement]}.
     * The format is stable: the command line and the Flyway and Liquibase integrations print it as it is.
     */
    public String render() {
        return file + ":" + line + ": " + rule + ": " + (detail.isEmpty() ? "" : detail + " -- ") + rule.risk()
                + "; instead, " + rule.alternative() + " [" + statement + "]";
    }
}
