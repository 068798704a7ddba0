package dev.flagway.schema;

import dev.flagway.dialect.Connections;
import dev.flagway.internal.Checks;
import dev.flagway.internal.Identifiers;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * An {@link AuditSink} that appends to a table ({@value #DEFAULT_TABLE} by default), created
 * idempotently on first use. Times are stored in UTC.
 */
public final class JdbcAuditLog implements AuditSink {
    /** The default table name. */
    public static final String DEFAULT_TABLE = "flagway_schema_audit";

    private static final int DETAIL_LENGTH = 4000;

    private final DataSource dataSource;
    private final Table<?> table;
    private final Field<LocalDateTime> at = DSL.field(DSL.name("at"), SQLDataType.LOCALDATETIME.notNull());
    private final Field<String> migration = DSL.field(DSL.name("migration_id"), SQLDataType.VARCHAR(100).notNull());
    private final Field<String> action = DSL.field(DSL.name("action"), SQLDataType.VARCHAR(50).notNull());
    private final Field<String> actor = DSL.field(DSL.name("actor"), SQLDataType.VARCHAR(200).notNull());
    private final Field<String> detail = DSL.field(DSL.name("detail"), SQLDataType.VARCHAR(DETAIL_LENGTH).notNull());
    private volatile boolean created;

    /** A log in {@code tableName} ({@code table} or {@code schema.table}). */
    public JdbcAuditLog(DataSource dataSource, String tableName) {
        this.dataSource = Checks.notNull("data source", dataSource);
        this.table = DSL.table(DSL.name(Identifiers.requireTableName("audit table", tableName)));
    }

    /** A log in {@value #DEFAULT_TABLE}. */
    public JdbcAuditLog(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE);
    }

    @Override
    public void record(AuditEvent event) {
        String text = event.detail().length() <= DETAIL_LENGTH ? event.detail() : event.detail().substring(0, DETAIL_LENGTH);
        run(dsl -> dsl.insertInto(table, at, migration, action, actor, detail)
                .values(LocalDateTime.ofInstant(event.at(), ZoneOffset.UTC), event.migrationId(), event.action(),
                        Identifiers.abbreviate(event.actor()), text)
                .execute());
    }

    /** The events of a migration, oldest first. */
    public List<AuditEvent> events(String migrationId) {
        return run(dsl -> dsl.select(at, migration, action, actor, detail).from(table)
                .where(migration.eq(migrationId)).orderBy(at)
                .fetch(r -> new AuditEvent(r.value1().toInstant(ZoneOffset.UTC), r.value2(), r.value3(), r.value4(),
                        r.value5())));
    }

    private <T> T run(java.util.function.Function<DSLContext, T> work) {
        return Connections.withDsl(dataSource, "audit table " + table.getName(), dsl -> {
            if (!created) {
                dsl.createTableIfNotExists(table).columns(at, migration, action, actor, detail).execute();
                created = true;
            }
            return work.apply(dsl);
        });
    }
}
