package dev.flagway.verify;

import dev.flagway.Migration;
import dev.flagway.backfill.MigrationTable;
import dev.flagway.backfill.Transform;
import dev.flagway.dialect.Dialect;
import dev.flagway.internal.Checks;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record3;
import org.jooq.Result;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that the new column agrees with the legacy one: total rows, rows with a new value, rows
 * where transform(legacy) equals the new value, rows still NULL, and rows whose legacy value the
 * transform throws on (bad rows: they fail the verification until their legacy value is fixed). It walks the table in keyset
 * chunks, each its own short read-only transaction under a statement timeout, so no query runs
 * long; point it at a replica's {@link DataSource} to keep the load off the primary.
 *
 * <pre>{@code
 * VerificationReport report = Verifier.builder(usersEmail, replica, new PostgresDialect())
 *         .log(new VerificationLog(primary))
 *         .build().verify();
 * }</pre>
 */
public final class Verifier {
    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);

    private final Migration migration;
    private final DataSource dataSource;
    private final Dialect dialect;
    private final MigrationTable table;
    private final Transform transform;
    private final int chunkSize;
    private final int sampleSize;
    private final Duration statementTimeout;
    private final VerificationLog log;
    private final Clock clock;

    private Verifier(Builder b) {
        this.migration = b.migration;
        this.dataSource = b.dataSource;
        this.dialect = b.dialect;
        this.table = new MigrationTable(b.migration);
        this.transform = b.transform == null ? Transform.of(b.migration) : b.transform;
        this.chunkSize = b.chunkSize;
        this.sampleSize = b.sampleSize;
        this.statementTimeout = b.statementTimeout;
        this.log = b.log;
        this.clock = b.clock;
    }

    /** Starts a verifier reading {@code dataSource} (the primary or a replica). */
    public static Builder builder(Migration migration, DataSource dataSource, Dialect dialect) {
        return new Builder(migration, dataSource, dialect);
    }

    /**
     * Verifies the whole table and records the report in the log, when one is set.
     *
     * @throws IllegalStateException when a chunk query fails
     */
    public VerificationReport verify() {
        long started = System.nanoTime();
        Tally tally = new Tally();
        String after = null;
        while (true) {
            List<Record3<Object, Object, Object>> rows = chunk(after);
            if (rows.isEmpty()) {
                break;
            }
            for (Record3<Object, Object, Object> r : rows) {
                tally.add(r.value1(), r.value2(), r.value3());
            }
            after = MigrationTable.keyText(rows.get(rows.size() - 1).value1());
        }
        VerificationReport report = new VerificationReport(migration.id(), clock.instant(),
                Duration.ofNanos(System.nanoTime() - started), tally.total, tally.withNew, tally.matching,
                tally.mismatched, tally.missing, tally.bad, tally.mismatchedKeys, tally.missingKeys, tally.badKeys);
        if (report.passed()) {
            LOG.info("Verification of migration '{}' {}", migration.id(), report.summary());
        } else {
            LOG.warn("Verification of migration '{}' {}", migration.id(), report.summary());
        }
        if (log != null) {
            log.record(report);
        }
        return report;
    }

    /** One chunk: (key, new value, legacy value or, for a SQL transform, the derived value). */
    private List<Record3<Object, Object, Object>> chunk(String after) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                dialect.limitStatementTime(c, statementTimeout);
                DSLContext dsl = DSL.using(c, dialect.sqlDialect());
                Field<Object> third = transform instanceof Transform.Sql sql ? sql.over(table.legacy()) : table.legacy();
                Result<Record3<Object, Object, Object>> rows = dsl.select(table.key(), table.modern(), third)
                        .from(table.table()).where(table.range(dsl, after, null)).orderBy(table.key())
                        .limit(chunkSize).fetch();
                return rows;
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        } catch (SQLException | org.jooq.exception.DataAccessException e) {
            throw new IllegalStateException("verification of migration '" + migration.id() + "' failed after key "
                    + after + ": " + e.getMessage(), e);
        }
    }


    /** Counts and samples. */
    private final class Tally {
        long total;
        long withNew;
        long matching;
        long mismatched;
        long missing;
        long bad;
        final List<String> mismatchedKeys = new ArrayList<>();
        final List<String> missingKeys = new ArrayList<>();
        final List<String> badKeys = new ArrayList<>();

        /** Adds a row: its key, new value, and legacy value (or, for a SQL transform, the derived one). */
        void add(Object key, Object stored, Object third) {
            total++;
            if (stored != null) {
                withNew++;
            }
            Object expected;
            try {
                expected = transform instanceof Transform.Java java ? java.function().apply(third) : third;
            } catch (RuntimeException e) {
                bad++;
                sample(badKeys, key);
                return;
            }
            if (Transform.sameValue(stored, expected)) {
                matching++;
            } else if (stored == null) {
                missing++;
                sample(missingKeys, key);
            } else {
                mismatched++;
                sample(mismatchedKeys, key);
            }
        }

        private void sample(List<String> keys, Object key) {
            if (keys.size() < sampleSize) {
                keys.add(MigrationTable.keyText(key));
            }
        }
    }

    /** Builds a {@link Verifier}. Defaults: chunks of 10,000 keys, 20 sample keys, 30 s per chunk query. */
    public static final class Builder {
        private final Migration migration;
        private final DataSource dataSource;
        private final Dialect dialect;
        private Transform transform;
        private int chunkSize = 10_000;
        private int sampleSize = 20;
        private Duration statementTimeout = Duration.ofSeconds(30);
        private VerificationLog log;
        private Clock clock = Clock.systemUTC();

        private Builder(Migration migration, DataSource dataSource, Dialect dialect) {
            this.migration = Checks.notNull("migration", migration);
            this.dataSource = Checks.notNull("data source", dataSource);
            this.dialect = Checks.notNull("dialect", dialect);
        }

        /** The transform to check against; the migration's Java transform by default. */
        public Builder transform(Transform value) {
            this.transform = Checks.notNull("transform", value);
            return this;
        }

        /** Keys per chunk query; at least 1. */
        public Builder chunkSize(int value) {
            this.chunkSize = Checks.atLeast("verify chunk-size", value, 1);
            return this;
        }

        /** How many keys of each kind of failure the report lists; 0 or more. */
        public Builder sampleSize(int value) {
            this.sampleSize = Checks.atLeast("verify sample-size", value, 0);
            return this;
        }

        /** The longest a chunk query may run; positive. */
        public Builder statementTimeout(Duration value) {
            this.statementTimeout = Checks.positive("verify statement-timeout", value);
            return this;
        }

        /** Where the report is recorded for the contract gate (on the primary); none by default. */
        public Builder log(VerificationLog value) {
            this.log = Checks.notNull("verification log", value);
            return this;
        }

        /** The clock of the report time; UTC system clock by default. */
        public Builder clock(Clock value) {
            this.clock = Checks.notNull("clock", value);
            return this;
        }

        /** The verifier. */
        public Verifier build() {
            return new Verifier(this);
        }
    }
}
