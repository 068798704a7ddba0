package dev.flagway.schema;

import dev.flagway.internal.Checks;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * One statement of a dialect's lock-safe plan for a {@link SchemaOperation}.
 *
 * @param operation the operation it belongs to
 * @param sql the statement, rendered with quoted identifiers
 * @param mode its transaction and timeout profile
 * @param guard what runs before every attempt, e.g. dropping an INVALID index a failed build left
 * @param alreadyAppliedStates SQLSTATEs meaning the change is already there (an idempotent re-run)
 */
public record DdlStatement(SchemaOperation operation, String sql, DdlMode mode, Guard guard,
        Set<String> alreadyAppliedStates) {
    /** Checks the fields and copies the set. */
    public DdlStatement {
        Checks.notNull("operation", operation);
        Checks.notNull("sql", sql);
        Checks.notNull("mode", mode);
        Checks.notNull("guard", guard);
        alreadyAppliedStates = Set.copyOf(alreadyAppliedStates);
    }

    /** A statement without guard that is idempotent by itself ({@code IF NOT EXISTS}, {@code IF EXISTS}). */
    public static DdlStatement of(SchemaOperation operation, String sql, DdlMode mode) {
        return new DdlStatement(operation, sql, mode, Guard.NONE, Set.of());
    }

    /** The same statement treating {@code sqlStates} as "already applied". */
    public DdlStatement alreadyAppliedOn(String... sqlStates) {
        return new DdlStatement(operation, sql, mode, guard, Set.of(sqlStates));
    }

    /** The same statement with a guard. */
    public DdlStatement guardedBy(Guard newGuard) {
        return new DdlStatement(operation, sql, mode, newGuard, alreadyAppliedStates);
    }

    /**
     * The statement as a log line reads it: the guard by what it does ({@code none} for none), not
     * by its class.
     */
    @Override
    public String toString() {
        String guardText = guard.describe();
        return "DdlStatement[operation=" + operation + ", sql=" + sql + ", mode=" + mode + ", guard="
                + (guardText.isEmpty() ? "none" : guardText) + ", alreadyAppliedStates=" + alreadyAppliedStates + "]";
    }

    /** Work done on the statement's connection, under its timeouts, before each attempt. */
    public interface Guard {
        /** No preparation. */
        Guard NONE = new Guard() {
            @Override
            public String describe() {
                return "";
            }

            @Override
            public void beforeAttempt(Connection connection) {
                // nothing to prepare
            }

            @Override
            public String toString() {
                return "none";
            }
        };

        /** What the guard does, shown in dry-run scripts; empty for none. */
        String describe();

        /** Runs before every attempt. */
        void beforeAttempt(Connection connection) throws SQLException;
    }
}
