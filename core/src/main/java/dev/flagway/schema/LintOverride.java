package dev.flagway.schema;

/**
 * An explicit, logged permission to run a request the linter would refuse.
 *
 * @param rule the rule overridden
 * @param reason why, for the log; must not be blank
 */
public record LintOverride(LintRule rule, String reason) {
    /** Checks the fields. */
    public LintOverride {
        if (rule == null) {
            throw new IllegalArgumentException("lint override rule must not be null");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("lint override of " + rule + " needs a reason");
        }
    }
}
