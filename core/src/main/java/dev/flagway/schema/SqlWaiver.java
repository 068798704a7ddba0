package dev.flagway.schema;

import dev.flagway.internal.Checks;

/**
 * A finding waived by an inline {@code -- flagway:allow RULE reason} comment.
 *
 * @param finding the finding it waives
 * @param line the line of the waiver comment
 * @param reason why the statement is safe here, as the comment gives it
 */
public record SqlWaiver(SqlFinding finding, int line, String reason) {
    /** Checks the fields. */
    public SqlWaiver {
        Checks.notNull("finding", finding);
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a waiver of " + finding.rule() + " needs a reason");
        }
    }

    /** The waiver on one line: {@code file:line: waived RULE (reason) [statement]}; a stable format. */
    public String render() {
        return finding.file() + ":" + finding.line() + ": waived " + finding.rule() + " (" + reason + ") ["
                + finding.statement() + "]";
    }
}
