package dev.flagway.jdbc;

import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.internal.ServerDialect;
import dev.flagway.internal.tables.TableDefinition;
import java.util.List;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.ParamType;

/**
 * The DDL of Flagway's own tables, for applications whose schema changes go through their own
 * migration tool (Flyway, Liquibase...): put the script in a migration, set
 * {@code flagway.tables.create=false} (and {@code BackfillSettings.createTables(false)}), and Flagway
 * creates nothing — it checks the tables at start-up and names a missing one. With the default
 * ({@code true}) each table is created, once per process, when first needed and missing; every
 * instance of a fleet may start at the same moment.
 *
 * <p>The tables, under their default names: {@value dev.flagway.backfill.CheckpointStore#DEFAULT_TABLE}
 * (backfill checkpoints), {@value RepairLog#DEFAULT_TABLE} (failed modern writes to repair),
 * {@value BadRowLog#DEFAULT_TABLE} (rows the backfill could not migrate),
 * {@value dev.flagway.verify.VerificationLog#DEFAULT_TABLE} (last verification),
 * {@value dev.flagway.contract.FallbackJournal#DEFAULT_TABLE} (fallbacks per minute) and
 * {@value dev.flagway.schema.JdbcAuditLog#DEFAULT_TABLE} (schema changes). The flag provider's tables
 * are its own ({@code FlagAdmin.createTables()}).
 */
public final class BookkeepingTables {
    private BookkeepingTables() {
    }

    /** One {@code CREATE TABLE IF NOT EXISTS} statement per table, under the default names, for {@code dialect}. */
    public static List<String> statements(SQLDialect dialect) {
        DSLContext dsl = ServerDialect.using(dialect);
        return Bookkeeping.defaults().stream().map(t -> render(dsl, t)).toList();
    }

    /** {@link #statements} as one script, each statement ended by {@code ;} on a line of its own. */
    public static String script(SQLDialect dialect) {
        return statements(dialect).stream().map(s -> s + ";\n").collect(Collectors.joining());
    }

    private static String render(DSLContext dsl, TableDefinition table) {
        return table.create(dsl).getSQL(ParamType.INLINED);
    }
}
