package dev.flagway.schema;

import dev.flagway.internal.Connections;
import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.internal.Checks;
import dev.flagway.internal.Identifiers;
import dev.flagway.internal.tables.TableSetup;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/**
 * An {@link AuditSink} that appends to a table ({@value #DEFAULT_TABLE} by default), created
 * on first use when missing. Times are stored in UTC.
 */
public final class JdbcAuditLog implements AuditSink {
    /** The default table name. */
    public static final String DEFAULT_TABLE = Bookkeeping.AUDIT_TABLE;

    private final DataSource dataSource;
    private final Bookkeeping.Audit t;

    /** A log in {@code tableName} ({@code table} or {@code schema.table}). */
    public JdbcAuditLog(DataSource dataSource, String tableName) {
        this.dataSource = Checks.notNull("data source", dataSource);
        this.t = new Bookkeeping.Audit(Bookkeeping.name("audit table", tableName));
    }

    /** A log in {@value #DEFAULT_TABLE}. */
    public JdbcAuditLog(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE);
    }

    @Override
    public void record(AuditEvent event) {
        String text = event.detail().length() <= Bookkeeping.DETAIL_LENGTH ? event.detail()
                : event.detail().substring(0, Bookkeeping.DETAIL_LENGTH);
        run(dsl -> dsl.insertInto(t.table, t.at, t.migrationId, t.action, t.actor, t.detail)
                .values(LocalDateTime.ofInstant(event.at(), ZoneOffset.UTC), event.migrationId(), event.action(),
                        Identifiers.abbreviate(event.actor()), text)
                .execute());
    }

    /** The events of a migration, oldest first. */
    public List<AuditEvent> events(String migrationId) {
        return run(dsl -> dsl.select(t.at, t.migrationId, t.action, t.actor, t.detail).from(t.table)
                .where(t.migrationId.eq(migrationId)).orderBy(t.at)
                .fetch(r -> new AuditEvent(r.value1().toInstant(ZoneOffset.UTC), r.value2(), r.value3(), r.value4(),
                        r.value5())));
    }

    private <T> T run(java.util.function.Function<DSLContext, T> work) {
        return Connections.withDsl(dataSource, "audit table " + t.definition().displayName(), dsl -> {
            dsl.connection(c -> TableSetup.ensure(dataSource, c, true, List.of(t.definition())));
            return work.apply(dsl);
        });
    }
}
