package dev.flagway.verify;

import dev.flagway.dialect.Connections;
import dev.flagway.internal.Checks;
import dev.flagway.internal.Identifiers;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The last verification of each migration, kept on the primary in a table ({@value #DEFAULT_TABLE}
 * by default, created idempotently) so that the contract gate of any instance can read it.
 */
public final class VerificationLog {
    /** The default table name. */
    public static final String DEFAULT_TABLE = "flagway_verification";

    private static final int SUMMARY_LENGTH = 2000;

    private final DataSource dataSource;
    private final Table<?> table;
    // Columns are qualified by the table: PostgreSQL's ON CONFLICT DO UPDATE and H2's MERGE find bare ones ambiguous.
    private final Field<String> migration;
    private final Field<LocalDateTime> verifiedAt;
    private final Field<Boolean> passed;
    private final Field<String> summary;

    /** A log in {@code tableName} ({@code table} or {@code schema.table}). */
    public VerificationLog(DataSource dataSource, String tableName) {
        this.dataSource = Checks.notNull("data source", dataSource);
        this.table = DSL.table(DSL.name(Identifiers.requireTableName("verification table", tableName)));
        this.migration = DSL.field(table.getQualifiedName().append("migration_id"), SQLDataType.VARCHAR(100).notNull());
        this.verifiedAt = DSL.field(table.getQualifiedName().append("verified_at"), SQLDataType.LOCALDATETIME.notNull());
        this.passed = DSL.field(table.getQualifiedName().append("passed"), SQLDataType.BOOLEAN.notNull());
        this.summary = DSL.field(table.getQualifiedName().append("summary"), SQLDataType.VARCHAR(SUMMARY_LENGTH).notNull());
    }

    /** A log in {@value #DEFAULT_TABLE}. */
    public VerificationLog(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE);
    }

    /** Records a report as its migration's last verification. */
    public void record(VerificationReport report) {
        LocalDateTime at = LocalDateTime.ofInstant(report.finishedAt(), ZoneOffset.UTC);
        String text = report.summary().length() <= SUMMARY_LENGTH ? report.summary()
                : report.summary().substring(0, SUMMARY_LENGTH);
        run(dsl -> dsl.insertInto(table, migration, verifiedAt, passed, summary)
                .values(report.migrationId(), at, report.passed(), text)
                .onConflict(migration).doUpdate()
                .set(verifiedAt, at).set(passed, report.passed()).set(summary, text)
                .execute());
    }

    /** The last verification of a migration, or empty when it was never verified. */
    public Optional<Entry> last(String migrationId) {
        return run(dsl -> dsl.select(verifiedAt, passed, summary).from(table).where(migration.eq(migrationId))
                .fetchOptional(r -> new Entry(r.value1().toInstant(ZoneOffset.UTC), r.value2(), r.value3())));
    }

    private <T> T run(java.util.function.Function<DSLContext, T> work) {
        return Connections.withDsl(dataSource, "verification table " + table.getName(), dsl -> {
            dsl.createTableIfNotExists(table).columns(migration, verifiedAt, passed, summary).primaryKey(migration)
                    .execute();
            return work.apply(dsl);
        });
    }

    /**
     * A recorded verification.
     *
     * @param verifiedAt when it finished
     * @param passed whether it passed
     * @param summary its figures
     */
    public record Entry(Instant verifiedAt, boolean passed, String summary) {
    }
}
