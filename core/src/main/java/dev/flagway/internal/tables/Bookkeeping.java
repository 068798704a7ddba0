package dev.flagway.internal.tables;

import dev.flagway.internal.Identifiers;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The definitions of Flagway's bookkeeping tables, all in one place: each class holds one table's
 * columns for the store that reads and writes it, and its {@link TableDefinition} for
 * {@link TableSetup}. Columns are qualified by the table, because PostgreSQL's
 * {@code ON CONFLICT DO UPDATE} and H2's {@code MERGE} find bare ones ambiguous.
 */
public final class Bookkeeping {
    /** Longest row or targeting key a table stores; a longer one is refused, never truncated. */
    public static final int KEY_LENGTH = 255;
    /** Longest error text a table stores; longer ones are cut. */
    public static final int ERROR_LENGTH = 1000;
    /** Longest verification summary the verification table stores; longer ones are cut. */
    public static final int SUMMARY_LENGTH = 2000;
    /** Longest audit detail the audit table stores; longer ones are cut. */
    public static final int DETAIL_LENGTH = 4000;
    /** Longest instance id the fleet health table stores. */
    public static final int INSTANCE_LENGTH = 200;
    private static final int MIGRATION_ID_LENGTH = 100;

    /** The backfill checkpoints' default table ({@code CheckpointStore.DEFAULT_TABLE}). */
    public static final String CHECKPOINT_TABLE = "flagway_backfill";
    /** The repair log's default table ({@code RepairLog.DEFAULT_TABLE}). */
    public static final String REPAIR_TABLE = "flagway_repair";
    /** The bad-row log's default table ({@code BadRowLog.DEFAULT_TABLE}). */
    public static final String BAD_ROW_TABLE = "flagway_bad_rows";
    /** The verification log's default table ({@code VerificationLog.DEFAULT_TABLE}). */
    public static final String VERIFICATION_TABLE = "flagway_verification";
    /** The fallback journal's default table ({@code FallbackJournal.DEFAULT_TABLE}). */
    public static final String FALLBACK_TABLE = "flagway_fallbacks";
    /** The schema audit log's default table ({@code JdbcAuditLog.DEFAULT_TABLE}). */
    public static final String AUDIT_TABLE = "flagway_schema_audit";
    /** The lifecycle's default table ({@code MigrationLifecycles.DEFAULT_TABLE}). */
    public static final String LIFECYCLE_TABLE = "flagway_lifecycle";
    /** The fleet health table's default ({@code MigrationLifecycles.DEFAULT_FLEET_HEALTH_TABLE}). */
    public static final String FLEET_HEALTH_TABLE = "flagway_fleet_health";

    private Bookkeeping() {
    }

    /** Every table under its default name, in the order a script creates them. */
    public static List<TableDefinition> defaults() {
        return List.of(
                new Checkpoints(name(CHECKPOINT_TABLE)).definition(),
                new Repairs(name(REPAIR_TABLE)).definition(),
                new BadRows(name(BAD_ROW_TABLE)).definition(),
                new Verifications(name(VERIFICATION_TABLE)).definition(),
                new VerificationHistory(name(historyTable(VERIFICATION_TABLE))).definition(),
                new Fallbacks(name(FALLBACK_TABLE)).definition(),
                new Audit(name(AUDIT_TABLE)).definition(),
                new Lifecycle(name(LIFECYCLE_TABLE)).definition(),
                new FleetHealth(name(FLEET_HEALTH_TABLE)).definition());
    }

    /** The history table kept next to the verification table {@code tableName}: {@code <tableName>_history}. */
    public static String historyTable(String tableName) {
        return tableName + "_history";
    }

    /** A configured table name ({@code table} or {@code schema.table}), validated. */
    public static Name name(String what, String tableName) {
        return DSL.name(Identifiers.requireTableName(what, tableName));
    }

    private static Name name(String tableName) {
        return name("table", tableName);
    }

    /** One table: its name and the column factory its subclasses use. */
    abstract static class Columns {
        /** The table. */
        public final Table<?> table;

        Columns(Name name) {
            this.table = DSL.table(name);
        }

        <T> Field<T> column(String column, DataType<T> type) {
            return DSL.field(table.getQualifiedName().append(column), type);
        }

        Field<String> migrationId() {
            return column("migration_id", SQLDataType.VARCHAR(MIGRATION_ID_LENGTH).notNull());
        }

        /** The table's definition. */
        public abstract TableDefinition definition();
    }

    /** The backfill checkpoints, one row per migration. */
    public static final class Checkpoints extends Columns {
        /** The migration id. */
        public final Field<String> migrationId = migrationId();
        /** The last key walked, as text. */
        public final Field<String> lastKey = column("last_key", SQLDataType.VARCHAR(KEY_LENGTH));
        /** Keys walked. */
        public final Field<Long> rowsDone = column("rows_done", SQLDataType.BIGINT.notNull());
        /** Rows written. */
        public final Field<Long> rowsUpdated = column("rows_updated", SQLDataType.BIGINT.notNull());
        /** The backfill state. */
        public final Field<String> state = column("state", SQLDataType.VARCHAR(20).notNull());
        /** When the row was last written (UTC). */
        public final Field<LocalDateTime> updatedAt = column("updated_at", SQLDataType.LOCALDATETIME.notNull());
        /** When the backfill completed (UTC), or null. */
        public final Field<LocalDateTime> finishedAt = column("finished_at", SQLDataType.LOCALDATETIME);

        /** The table {@code name}. */
        public Checkpoints(Name name) {
            super(name);
        }

        @Override
        public TableDefinition definition() {
            return new TableDefinition(table, List.of(migrationId, lastKey, rowsDone, rowsUpdated, state, updatedAt,
                    finishedAt), List.of(migrationId));
        }
    }

    /** Rows whose modern write failed, to re-derive from the legacy value; one row per (migration, key). */
    public static final class Repairs extends Columns {
        /** The migration id. */
        public final Field<String> migrationId = migrationId();
        /** The row key, as text. */
        public final Field<String> rowKey = column("row_key", SQLDataType.VARCHAR(KEY_LENGTH).notNull());
        /** The targeting key of the failed write, or null. */
        public final Field<String> targetingKey = column("targeting_key", SQLDataType.VARCHAR(KEY_LENGTH));
        /** The error. */
        public final Field<String> error = column("error", SQLDataType.VARCHAR(ERROR_LENGTH));
        /** Failures since the last repair. */
        public final Field<Integer> failures = column("failures", SQLDataType.INTEGER.notNull());
        /** When it was recorded. */
        public final Field<Timestamp> recordedAt = column("recorded_at", SQLDataType.TIMESTAMP.notNull());

        /** The table {@code name}. */
        public Repairs(Name name) {
            super(name);
        }

        @Override
        public TableDefinition definition() {
            return new TableDefinition(table, List.of(migrationId, rowKey, targetingKey, error, failures, recordedAt),
                    List.of(migrationId, rowKey));
        }
    }

    /** Rows whose legacy value the transform could not convert; one row per (migration, key). */
    public static final class BadRows extends Columns {
        /** The migration id. */
        public final Field<String> migrationId = migrationId();
        /** The row key, as text. */
        public final Field<String> rowKey = column("row_key", SQLDataType.VARCHAR(KEY_LENGTH).notNull());
        /** The legacy value, as text. */
        public final Field<String> legacyValue = column("legacy_value", SQLDataType.VARCHAR(ERROR_LENGTH));
        /** The error. */
        public final Field<String> error = column("error", SQLDataType.VARCHAR(ERROR_LENGTH).notNull());
        /** When it was recorded. */
        public final Field<Timestamp> recordedAt = column("recorded_at", SQLDataType.TIMESTAMP.notNull());
        /** When it was resolved, or null. */
        public final Field<Timestamp> resolvedAt = column("resolved_at", SQLDataType.TIMESTAMP);
        /** Who resolved it. */
        public final Field<String> resolvedBy = column("resolved_by", SQLDataType.VARCHAR(200));

        /** The table {@code name}. */
        public BadRows(Name name) {
            super(name);
        }

        @Override
        public TableDefinition definition() {
            return new TableDefinition(table, List.of(migrationId, rowKey, legacyValue, error, recordedAt, resolvedAt,
                    resolvedBy), List.of(migrationId, rowKey));
        }
    }

    /** The last verification of each migration. */
    public static final class Verifications extends Columns {
        /** The migration id. */
        public final Field<String> migrationId = migrationId();
        /** When the verification finished (UTC). */
        public final Field<LocalDateTime> verifiedAt = column("verified_at", SQLDataType.LOCALDATETIME.notNull());
        /** Whether it passed. */
        public final Field<Boolean> passed = column("passed", SQLDataType.BOOLEAN.notNull());
        /** Its figures. */
        public final Field<String> summary = column("summary", SQLDataType.VARCHAR(SUMMARY_LENGTH).notNull());

        /** The table {@code name}. */
        public Verifications(Name name) {
            super(name);
        }

        @Override
        public TableDefinition definition() {
            return new TableDefinition(table, List.of(migrationId, verifiedAt, passed, summary), List.of(migrationId));
        }
    }

    /** Every verification of each migration, appended to, with the stage it ran in. */
    public static final class VerificationHistory extends Columns {
        /** The migration id. */
        public final Field<String> migrationId = migrationId();
        /** When the verification finished (UTC). */
        public final Field<LocalDateTime> verifiedAt = column("verified_at", SQLDataType.LOCALDATETIME(3).notNull());
        /** The stage the migration was at (its flag value), or null when the caller did not say. */
        public final Field<String> stage = column("stage", SQLDataType.VARCHAR(20));
        /** Whether it passed. */
        public final Field<Boolean> passed = column("passed", SQLDataType.BOOLEAN.notNull());
        /** Its figures. */
        public final Field<String> summary = column("summary", SQLDataType.VARCHAR(SUMMARY_LENGTH).notNull());

        /** The table {@code name}. */
        public VerificationHistory(Name name) {
            super(name);
        }

        @Override
        public TableDefinition definition() {
            return new TableDefinition(table, List.of(migrationId, verifiedAt, stage, passed, summary), List.of());
        }
    }

    /** Where each migration's lifecycle stands, one row per migration, shared by the fleet. */
    public static final class Lifecycle extends Columns {
        /** The migration id. */
        public final Field<String> migrationId = migrationId();
        /** The phase. */
        public final Field<String> phase = column("phase", SQLDataType.VARCHAR(20).notNull());
        /** The live share in percent (LIVE only, else 0). */
        public final Field<Double> livePercent = column("live_percent", SQLDataType.DOUBLE.notNull());
        /** The optimistic version, raised by every move. */
        public final Field<Long> version = column("version", SQLDataType.BIGINT.notNull());
        /** When the last move was made (UTC). */
        public final Field<LocalDateTime> updatedAt = column("updated_at", SQLDataType.LOCALDATETIME(3).notNull());
        /** Who made it. */
        public final Field<String> updatedBy = column("updated_by", SQLDataType.VARCHAR(200).notNull());
        /** The last move and its reason. */
        public final Field<String> lastMove = column("last_move", SQLDataType.VARCHAR(ERROR_LENGTH).notNull());
        /** The automatic rollout's state ({@code idle}, {@code running}, ...), null for idle. */
        public final Field<String> rolloutState = column("rollout_state", SQLDataType.VARCHAR(20));
        /** The operator's cap on the automatic rollout in percent, null for none. */
        public final Field<Double> rolloutCap = column("rollout_cap", SQLDataType.DOUBLE);
        /** When the automatic rollout's current step started (UTC), or null. */
        public final Field<LocalDateTime> rolloutStepAt = column("rollout_step_at", SQLDataType.LOCALDATETIME(3));
        /** The controller's last judgement, or why the rollout halted or ended, or null. */
        public final Field<String> rolloutNote = column("rollout_note", SQLDataType.VARCHAR(ERROR_LENGTH));

        /** The table {@code name}. */
        public Lifecycle(Name name) {
            super(name);
        }

        @Override
        public TableDefinition definition() {
            return new TableDefinition(table, List.of(migrationId, phase, livePercent, version, updatedAt, updatedBy,
                    lastMove, rolloutState, rolloutCap, rolloutStepAt, rolloutNote), List.of(migrationId));
        }
    }

    /** Each instance's health of each migration, one row per (migration, instance, minute). */
    public static final class FleetHealth extends Columns {
        /** The migration id. */
        public final Field<String> migrationId = migrationId();
        /** The publishing instance. */
        public final Field<String> instance = column("instance_id", SQLDataType.VARCHAR(INSTANCE_LENGTH).notNull());
        /** The minute (UTC). */
        public final Field<LocalDateTime> minute = column("minute", SQLDataType.LOCALDATETIME.notNull());
        /** Modern calls in that minute. */
        public final Field<Long> calls = column("calls", SQLDataType.BIGINT.notNull());
        /** Failed modern calls in that minute. */
        public final Field<Long> errors = column("errors", SQLDataType.BIGINT.notNull());
        /** Fallbacks to legacy in that minute. */
        public final Field<Long> fallbacks = column("fallbacks", SQLDataType.BIGINT.notNull());
        /** Shadow comparisons in that minute. */
        public final Field<Long> comparisons = column("comparisons", SQLDataType.BIGINT.notNull());
        /** Shadow mismatches in that minute. */
        public final Field<Long> mismatches = column("mismatches", SQLDataType.BIGINT.notNull());
        /** The modern p95 in milliseconds over the breaker's window, null when it held too few calls. */
        public final Field<Double> modernP95 = column("modern_p95_ms", SQLDataType.DOUBLE);
        /** The legacy p95 in milliseconds over the breaker's window, null when unknown. */
        public final Field<Double> legacyP95 = column("legacy_p95_ms", SQLDataType.DOUBLE);
        /** The breaker's state at the last publish. */
        public final Field<String> breakerState = column("breaker_state", SQLDataType.VARCHAR(20).notNull());
        /** When the row was last published (UTC). */
        public final Field<LocalDateTime> updatedAt = column("updated_at", SQLDataType.LOCALDATETIME(3).notNull());

        /** The table {@code name}. */
        public FleetHealth(Name name) {
            super(name);
        }

        @Override
        public TableDefinition definition() {
            return new TableDefinition(table, List.of(migrationId, instance, minute, calls, errors, fallbacks,
                    comparisons, mismatches, modernP95, legacyP95, breakerState, updatedAt),
                    List.of(migrationId, instance, minute));
        }
    }

    /** Fallbacks counted per migration and minute. */
    public static final class Fallbacks extends Columns {
        /** The migration id. */
        public final Field<String> migrationId = migrationId();
        /** The minute counted (UTC). */
        public final Field<LocalDateTime> minute = column("minute", SQLDataType.LOCALDATETIME.notNull());
        /** Fallbacks in that minute. */
        public final Field<Long> count = column("fallbacks", SQLDataType.BIGINT.notNull());

        /** The table {@code name}. */
        public Fallbacks(Name name) {
            super(name);
        }

        @Override
        public TableDefinition definition() {
            return new TableDefinition(table, List.of(migrationId, minute, count), List.of(migrationId, minute));
        }
    }

    /** The schema changes' audit trail, appended to. */
    public static final class Audit extends Columns {
        /** When it happened (UTC). */
        public final Field<LocalDateTime> at = column("at", SQLDataType.LOCALDATETIME(6).notNull());
        /** The migration id. */
        public final Field<String> migrationId = migrationId();
        /** What was done. */
        public final Field<String> action = column("action", SQLDataType.VARCHAR(50).notNull());
        /** Who did it. */
        public final Field<String> actor = column("actor", SQLDataType.VARCHAR(200).notNull());
        /** The statement and outcome. */
        public final Field<String> detail = column("detail", SQLDataType.VARCHAR(DETAIL_LENGTH).notNull());

        /** The table {@code name}. */
        public Audit(Name name) {
            super(name);
        }

        @Override
        public TableDefinition definition() {
            return new TableDefinition(table, List.of(at, migrationId, action, actor, detail), List.of());
        }
    }
}
