package dev.flagway.verify;

import dev.flagway.Stage;
import dev.flagway.internal.Connections;
import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.internal.Checks;
import dev.flagway.internal.tables.TableSetup;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The verifications of each migration, kept on the primary so that the contract gate of any instance
 * can read them: the last one in a table ({@value #DEFAULT_TABLE} by default), and every one, with
 * the stage it ran in, in its history table ({@code <table>_history}); both are created when missing.
 *
 * <p>The contract gate judges {@link #lastWhileLegacyWritten}: the latest verification taken while
 * the legacy column was still written (up to {@code ramp_down}). A verification at {@code complete}
 * fails by design for rows written since (legacy is no longer written); it is kept in the history but
 * never replaces that evidence.
 */
public final class VerificationLog {
    /** The default table name. */
    public static final String DEFAULT_TABLE = Bookkeeping.VERIFICATION_TABLE;

    private final DataSource dataSource;
    private final Bookkeeping.Verifications t;
    private final Bookkeeping.VerificationHistory h;

    /** A log in {@code tableName} ({@code table} or {@code schema.table}). */
    public VerificationLog(DataSource dataSource, String tableName) {
        this.dataSource = Checks.notNull("data source", dataSource);
        this.t = new Bookkeeping.Verifications(Bookkeeping.name("verification table", tableName));
        this.h = new Bookkeeping.VerificationHistory(Bookkeeping.name("verification history table",
                historyTable(tableName)));
    }

    /** The history table kept next to the verification table {@code tableName}: {@code <tableName>_history}. */
    public static String historyTable(String tableName) {
        return Bookkeeping.historyTable(tableName);
    }

    /** A log in {@value #DEFAULT_TABLE}. */
    public VerificationLog(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE);
    }

    /**
     * Records a report whose stage the caller does not know: it is appended to the history (counted
     * as taken while legacy was written) and becomes the migration's last verification.
     */
    public void record(VerificationReport report) {
        record(report, null);
    }

    /**
     * Records a report taken at {@code stage}: appended to the history with its stage; it becomes the
     * migration's last verification unless it was taken at {@link Stage#COMPLETE}, where legacy is no
     * longer written and a failure says nothing about the migration's correctness.
     *
     * @param stage the stage the migration was at while it ran, or null when unknown
     */
    public void record(VerificationReport report, Stage stage) {
        Checks.notNull("verification report", report);
        LocalDateTime at = LocalDateTime.ofInstant(report.finishedAt(), ZoneOffset.UTC);
        String text = report.summary().length() <= Bookkeeping.SUMMARY_LENGTH ? report.summary()
                : report.summary().substring(0, Bookkeeping.SUMMARY_LENGTH);
        run(dsl -> dsl.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            tx.insertInto(h.table, h.migrationId, h.verifiedAt, h.stage, h.passed, h.summary)
                    .values(report.migrationId(), at, stage == null ? null : stage.flagValue(), report.passed(), text)
                    .execute();
            if (stage == null || stage.writesLegacy()) {
                tx.insertInto(t.table, t.migrationId, t.verifiedAt, t.passed, t.summary)
                        .values(report.migrationId(), at, report.passed(), text)
                        .onConflict(t.migrationId).doUpdate()
                        .set(t.verifiedAt, at).set(t.passed, report.passed()).set(t.summary, text)
                        .execute();
            }
            return null;
        }));
    }

    /**
     * Every recorded verification of a migration, oldest first (verifications recorded before the
     * history table existed are not in it).
     */
    public List<Entry> history(String migrationId) {
        return run(dsl -> dsl.select(h.verifiedAt, h.passed, h.summary, h.stage).from(h.table)
                .where(h.migrationId.eq(migrationId)).orderBy(h.verifiedAt)
                .fetch(r -> new Entry(r.value1().toInstant(ZoneOffset.UTC), r.value2(), r.value3(),
                        r.value4() == null ? null : Stage.fromFlagValue(r.value4()).orElse(null))));
    }

    /**
     * The evidence the contract gate judges: the latest verification taken while the legacy column
     * was still written (any stage up to {@code ramp_down}, or a stage not given), never one taken at
     * {@code complete}; or empty when there is none.
     */
    public Optional<Entry> lastWhileLegacyWritten(String migrationId) {
        return last(migrationId);
    }

    /**
     * The last verification of a migration taken while legacy was written (what
     * {@link #lastWhileLegacyWritten} returns), or empty when there is none.
     */
    public Optional<Entry> last(String migrationId) {
        return run(dsl -> dsl.select(t.verifiedAt, t.passed, t.summary).from(t.table).where(t.migrationId.eq(migrationId))
                .fetchOptional(r -> new Entry(r.value1().toInstant(ZoneOffset.UTC), r.value2(), r.value3(), null)));
    }

    private <T> T run(java.util.function.Function<DSLContext, T> work) {
        return Connections.withDsl(dataSource, "verification table " + t.definition().displayName(), dsl -> {
            dsl.connection(c -> TableSetup.ensure(dataSource, c, true, List.of(t.definition(), h.definition())));
            return work.apply(dsl);
        });
    }

    /**
     * A recorded verification.
     *
     * @param verifiedAt when it finished
     * @param passed whether it passed
     * @param summary its figures
     * @param stage the stage it ran in, or null when not recorded
     */
    public record Entry(Instant verifiedAt, boolean passed, String summary, Stage stage) {
        /** An entry without a stage. */
        public Entry(Instant verifiedAt, boolean passed, String summary) {
            this(verifiedAt, passed, summary, null);
        }

        /** Whether it was taken while the legacy column was still written (or at a stage not recorded). */
        public boolean whileLegacyWritten() {
            return stage == null || stage.writesLegacy();
        }
    }
}
