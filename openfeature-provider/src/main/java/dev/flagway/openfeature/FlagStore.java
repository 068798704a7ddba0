package dev.flagway.openfeature;

import dev.flagway.internal.ServerDialect;
import dev.flagway.internal.tables.TableDefinition;
import dev.flagway.internal.tables.TableSetup;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The two flag tables: DDL, reads and the statements of a change. Every name is quoted with
 * {@link DSL#name}; the SQL dialect is detected from the first connection. All access goes through
 * jOOQ so the same code runs on PostgreSQL, MySQL/MariaDB and H2.
 */
final class FlagStore {
    static final int KEY_LENGTH = 200;
    static final int ACTOR_LENGTH = 200;
    static final int REASON_LENGTH = 1000;

    // flags table
    static final Field<String> KEY = DSL.field(DSL.name("flag_key"), SQLDataType.VARCHAR(KEY_LENGTH).nullable(false));
    static final Field<String> TYPE = DSL.field(DSL.name("value_type"), SQLDataType.VARCHAR(16).nullable(false));
    static final Field<Boolean> ENABLED = DSL.field(DSL.name("enabled"), SQLDataType.BOOLEAN.nullable(false));
    static final Field<String> BASE = DSL.field(DSL.name("base_variant"),
            SQLDataType.VARCHAR(Variants.MAX_LENGTH).nullable(false));
    static final Field<String> ROLLOUT = DSL.field(DSL.name("rollout_variant"),
            SQLDataType.VARCHAR(Variants.MAX_LENGTH).nullable(true));
    static final Field<BigDecimal> PERCENT = DSL.field(DSL.name("rollout_percent"),
            SQLDataType.DECIMAL(5, 2).nullable(true));
    static final Field<String> DISABLED_REASON = DSL.field(DSL.name("disabled_reason"),
            SQLDataType.VARCHAR(REASON_LENGTH).nullable(true));
    static final Field<Long> VERSION = DSL.field(DSL.name("version"), SQLDataType.BIGINT.nullable(false));
    static final Field<String> UPDATED_BY = DSL.field(DSL.name("updated_by"),
            SQLDataType.VARCHAR(ACTOR_LENGTH).nullable(false));
    static final Field<LocalDateTime> UPDATED_AT = DSL.field(DSL.name("updated_at"),
            SQLDataType.LOCALDATETIME(3).nullable(false));

    // audit table (flag_key, version, value_type reuse the names above)
    static final Field<String> ACTION = DSL.field(DSL.name("action"), SQLDataType.VARCHAR(32).nullable(false));
    static final Field<String> ACTOR = DSL.field(DSL.name("actor"), SQLDataType.VARCHAR(ACTOR_LENGTH).nullable(false));
    static final Field<String> REASON = DSL.field(DSL.name("reason"),
            SQLDataType.VARCHAR(REASON_LENGTH).nullable(true));
    static final Field<LocalDateTime> CHANGED_AT = DSL.field(DSL.name("changed_at"),
            SQLDataType.LOCALDATETIME(3).nullable(false));
    static final Field<Boolean> OLD_ENABLED = DSL.field(DSL.name("old_enabled"), SQLDataType.BOOLEAN.nullable(true));
    static final Field<String> OLD_BASE = DSL.field(DSL.name("old_base_variant"),
            SQLDataType.VARCHAR(Variants.MAX_LENGTH).nullable(true));
    static final Field<String> OLD_ROLLOUT = DSL.field(DSL.name("old_rollout_variant"),
            SQLDataType.VARCHAR(Variants.MAX_LENGTH).nullable(true));
    static final Field<BigDecimal> OLD_PERCENT = DSL.field(DSL.name("old_rollout_percent"),
            SQLDataType.DECIMAL(5, 2).nullable(true));
    static final Field<String> OLD_DISABLED_REASON = DSL.field(DSL.name("old_disabled_reason"),
            SQLDataType.VARCHAR(REASON_LENGTH).nullable(true));
    static final Field<Boolean> NEW_ENABLED = DSL.field(DSL.name("new_enabled"), SQLDataType.BOOLEAN.nullable(true));
    static final Field<String> NEW_BASE = DSL.field(DSL.name("new_base_variant"),
            SQLDataType.VARCHAR(Variants.MAX_LENGTH).nullable(true));
    static final Field<String> NEW_ROLLOUT = DSL.field(DSL.name("new_rollout_variant"),
            SQLDataType.VARCHAR(Variants.MAX_LENGTH).nullable(true));
    static final Field<BigDecimal> NEW_PERCENT = DSL.field(DSL.name("new_rollout_percent"),
            SQLDataType.DECIMAL(5, 2).nullable(true));
    static final Field<String> NEW_DISABLED_REASON = DSL.field(DSL.name("new_disabled_reason"),
            SQLDataType.VARCHAR(REASON_LENGTH).nullable(true));

    private static final List<Field<?>> FLAG_FIELDS = List.of(KEY, TYPE, ENABLED, BASE, ROLLOUT, PERCENT,
            DISABLED_REASON, VERSION, UPDATED_BY, UPDATED_AT);
    private static final List<Field<?>> AUDIT_FIELDS = List.of(KEY, VERSION, ACTION, ACTOR, REASON, CHANGED_AT, TYPE,
            OLD_ENABLED, OLD_BASE, OLD_ROLLOUT, OLD_PERCENT, OLD_DISABLED_REASON,
            NEW_ENABLED, NEW_BASE, NEW_ROLLOUT, NEW_PERCENT, NEW_DISABLED_REASON);

    private final DataSource dataSource;
    private final FlagwayTables tables;
    private final int queryTimeoutSeconds;
    private final Table<Record> flags;
    private final Table<Record> audit;
    private volatile DSLContext dsl;

    FlagStore(DataSource dataSource, FlagwayTables tables, int queryTimeoutSeconds) {
        this.dataSource = dataSource;
        this.tables = tables;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
        this.flags = DSL.table(DSL.name(tables.flagsParts()));
        this.audit = DSL.table(DSL.name(tables.auditParts()));
    }

    FlagwayTables tables() {
        return tables;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** The jOOQ context, created on first use from the dialect of a real connection. */
    DSLContext dsl() {
        DSLContext d = dsl;
        if (d != null) {
            return d;
        }
        synchronized (this) {
            if (dsl == null) {
                SQLDialect dialect;
                try (Connection connection = dataSource.getConnection()) {
                    dialect = ServerDialect.of(connection);
                } catch (SQLException e) {
                    throw new FlagStoreException("cannot connect to the database holding " + tables.flagsTable()
                            + ": " + e.getMessage(), e);
                }
                Settings settings = new Settings()
                        .withExecuteLogging(false)
                        .withQueryTimeout(queryTimeoutSeconds);
                dsl = ServerDialect.using(dataSource, dialect, settings);
            }
            return dsl;
        }
    }

    /** Runs database work, turning jOOQ's exceptions into {@link FlagStoreException}s that say what failed. */
    <T> T run(String what, Function<DSLContext, T> work) {
        try {
            return work.apply(dsl());
        } catch (DataAccessException e) {
            throw new FlagStoreException("could not " + what + " (tables " + tables.flagsTable() + ", "
                    + tables.auditTable() + "): " + rootMessage(e), e);
        }
    }

    /** Runs work in one transaction; our own runtime exceptions roll it back and pass through unchanged. */
    <T> T transaction(String what, Function<DSLContext, T> work) {
        return run(what, d -> d.transactionResult(cfg -> work.apply(ServerDialect.using(cfg))));
    }

    /**
     * Creates both tables when they are missing; safe to run from several instances at once (through
     * the same mechanism as Flagway's own tables).
     */
    void createTables() {
        run("create the flag tables", d -> d.connectionResult(c -> {
            TableSetup.create(c, true, new TableDefinition(flags, FLAG_FIELDS, List.of(KEY)));
            TableSetup.create(c, true, new TableDefinition(audit, AUDIT_FIELDS, List.of(KEY, VERSION)));
            return null;
        }));
    }

    /** Drops both tables if they exist (for tests and tear-down tooling). */
    void dropTables() {
        run("drop the flag tables", d -> {
            d.dropTableIfExists(audit).execute();
            d.dropTableIfExists(flags).execute();
            return null;
        });
    }

    /** Every flag row, unvalidated, in key order. */
    List<FlagRow> loadAll() {
        return run("read the flags", d -> {
            List<FlagRow> rows = new ArrayList<>();
            for (Record r : d.select(FLAG_FIELDS).from(flags).orderBy(KEY).fetch()) {
                rows.add(toRow(r));
            }
            return rows;
        });
    }

    FlagRow find(DSLContext d, String key) {
        Record r = d.select(FLAG_FIELDS).from(flags).where(KEY.eq(key)).fetchOne();
        return r == null ? null : toRow(r);
    }

    /** Reads a flag row and locks it until the transaction ends. */
    FlagRow lock(DSLContext d, String key) {
        Record r = d.select(FLAG_FIELDS).from(flags).where(KEY.eq(key)).forUpdate().fetchOne();
        return r == null ? null : toRow(r);
    }

    /** The highest version the audit log holds for a key (0 when none), so that a re-created flag continues it. */
    long lastAuditedVersion(DSLContext d, String key) {
        Long max = d.select(DSL.max(VERSION)).from(audit).where(KEY.eq(key)).fetchOne(0, Long.class);
        return max == null ? 0L : max;
    }

    void insert(DSLContext d, String key, FlagDefinition def, long version, String actor, Instant at) {
        d.insertInto(flags)
                .set(KEY, key)
                .set(TYPE, def.type().columnValue())
                .set(ENABLED, def.enabled())
                .set(BASE, def.baseVariant())
                .set(ROLLOUT, def.rolloutVariant())
                .set(PERCENT, percent(def))
                .set(DISABLED_REASON, def.disabledReason())
                .set(VERSION, version)
                .set(UPDATED_BY, actor)
                .set(UPDATED_AT, toDb(at))
                .execute();
    }

    /** Writes a new definition if the row is still at {@code expectedVersion}; returns the rows updated (0 or 1). */
    int update(DSLContext d, String key, long expectedVersion, FlagDefinition def, String actor, Instant at) {
        return d.update(flags)
                .set(ENABLED, def.enabled())
                .set(BASE, def.baseVariant())
                .set(ROLLOUT, def.rolloutVariant())
                .set(PERCENT, percent(def))
                .set(DISABLED_REASON, def.disabledReason())
                .set(VERSION, expectedVersion + 1)
                .set(UPDATED_BY, actor)
                .set(UPDATED_AT, toDb(at))
                .where(KEY.eq(key).and(VERSION.eq(expectedVersion)))
                .execute();
    }

    int delete(DSLContext d, String key, long expectedVersion) {
        return d.deleteFrom(flags).where(KEY.eq(key).and(VERSION.eq(expectedVersion))).execute();
    }

    void insertAudit(DSLContext d, String key, long version, FlagAction action, String actor, String reason,
                     Instant at, FlagType type, FlagDefinition before, FlagDefinition after) {
        d.insertInto(audit)
                .set(KEY, key)
                .set(VERSION, version)
                .set(ACTION, action.columnValue())
                .set(ACTOR, actor)
                .set(REASON, reason)
                .set(CHANGED_AT, toDb(at))
                .set(TYPE, type.columnValue())
                .set(OLD_ENABLED, before == null ? null : before.enabled())
                .set(OLD_BASE, before == null ? null : before.baseVariant())
                .set(OLD_ROLLOUT, before == null ? null : before.rolloutVariant())
                .set(OLD_PERCENT, before == null ? null : percent(before))
                .set(OLD_DISABLED_REASON, before == null ? null : before.disabledReason())
                .set(NEW_ENABLED, after == null ? null : after.enabled())
                .set(NEW_BASE, after == null ? null : after.baseVariant())
                .set(NEW_ROLLOUT, after == null ? null : after.rolloutVariant())
                .set(NEW_PERCENT, after == null ? null : percent(after))
                .set(NEW_DISABLED_REASON, after == null ? null : after.disabledReason())
                .execute();
    }

    /** The audit rows of one flag, oldest first. */
    List<Record> history(DSLContext d, String key) {
        return d.select(AUDIT_FIELDS).from(audit).where(KEY.eq(key)).orderBy(VERSION).fetch();
    }

    private static FlagRow toRow(Record r) {
        return new FlagRow(r.get(KEY), r.get(TYPE), Boolean.TRUE.equals(r.get(ENABLED)), r.get(BASE), r.get(ROLLOUT),
                r.get(PERCENT), r.get(DISABLED_REASON), r.get(VERSION), r.get(UPDATED_BY), fromDb(r.get(UPDATED_AT)));
    }

    private static BigDecimal percent(FlagDefinition def) {
        return def.rolloutVariant() == null ? null
                : BigDecimal.valueOf(def.rolloutPercentage()).setScale(2, RoundingMode.HALF_EVEN);
    }

    static LocalDateTime toDb(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant fromDb(LocalDateTime value) {
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getName() : message;
    }

    /** A flags-table row as stored, before validation. */
    record FlagRow(String key, String type, boolean enabled, String baseVariant, String rolloutVariant,
                   BigDecimal rolloutPercent, String disabledReason, long version, String updatedBy,
                   Instant updatedAt) {
    }
}
