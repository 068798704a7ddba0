package dev.flagway.verify;

import dev.flagway.dialect.Connections;
import dev.flagway.internal.Bookkeeping;
import dev.flagway.internal.Checks;
import dev.flagway.internal.TableSetup;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/**
 * The last verification of each migration, kept on the primary in a table ({@value #DEFAULT_TABLE}
 * by default, created when missing) so that the contract gate of any instance can read it.
 */
public final class VerificationLog {
    /** The default table name. */
    public static final String DEFAULT_TABLE = "flagway_verification";

    private final DataSource dataSource;
    private final Bookkeeping.Verifications t;

    /** A log in {@code tableName} ({@code table} or {@code schema.table}). */
    public VerificationLog(DataSource dataSource, String tableName) {
        this.dataSource = Checks.notNull("data source", dataSource);
        this.t = new Bookkeeping.Verifications(Bookkeeping.name("verification table", tableName));
    }

    /** A log in {@value #DEFAULT_TABLE}. */
    public VerificationLog(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE);
    }

    /** Records a report as its migration's last verification. */
    public void record(VerificationReport report) {
        LocalDateTime at = LocalDateTime.ofInstant(report.finishedAt(), ZoneOffset.UTC);
        String text = report.summary().length() <= Bookkeeping.SUMMARY_LENGTH ? report.summary()
                : report.summary().substring(0, Bookkeeping.SUMMARY_LENGTH);
        run(dsl -> dsl.insertInto(t.table, t.migrationId, t.verifiedAt, t.passed, t.summary)
                .values(report.migrationId(), at, report.passed(), text)
                .onConflict(t.migrationId).doUpdate()
                .set(t.verifiedAt, at).set(t.passed, report.passed()).set(t.summary, text)
                .execute());
    }

    /** The last verification of a migration, or empty when it was never verified. */
    public Optional<Entry> last(String migrationId) {
        return run(dsl -> dsl.select(t.verifiedAt, t.passed, t.summary).from(t.table).where(t.migrationId.eq(migrationId))
                .fetchOptional(r -> new Entry(r.value1().toInstant(ZoneOffset.UTC), r.value2(), r.value3())));
    }

    private <T> T run(java.util.function.Function<DSLContext, T> work) {
        return Connections.withDsl(dataSource, "verification table " + t.definition().displayName(), dsl -> {
            dsl.connection(c -> TableSetup.ensure(dataSource, c, true, List.of(t.definition())));
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
