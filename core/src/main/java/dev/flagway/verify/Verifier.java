package dev.flagway.verify;

import dev.flagway.Migration;
import dev.flagway.backfill.MigrationTable;
import dev.flagway.backfill.Transform;
import dev.flagway.dialect.Dialect;
import dev.flagway.internal.Checks;
import dev.flagway.internal.DaemonThreads;
import dev.flagway.internal.ServerDialect;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record3;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that the new column agrees with the legacy one: total rows, rows with a new value, rows
 * where transform(legacy) equals the new value, rows still NULL, and rows whose legacy value the
 * transform throws on (bad rows: they fail the verification until their legacy value is fixed), with
 * the keys of some rows that disagree. It walks the table in keyset chunks, each its own short
 * read-only transaction under a statement timeout, so no query runs long, two chunks at a time by
 * default ({@link VerifySettings#parallelism()}); point it at a replica's {@link DataSource} to keep the load
 * off the primary. With a {@linkplain Transform#sql SQL transform} the database compares each chunk
 * and sends back only its counts and the rows that disagree; a Java transform needs every row's
 * legacy value here.
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
    private final VerifySettings settings;
    private final VerificationLog log;
    private final Clock clock;

    private Verifier(Builder b) {
        this.migration = b.migration;
        this.dataSource = b.dataSource;
        this.dialect = b.dialect;
        this.table = new MigrationTable(b.migration);
        this.transform = b.transform == null ? Transform.of(b.migration) : b.transform;
        this.settings = b.settings.build();
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
        Walk walk = new Walk();
        int parallelism = settings.parallelism();
        if (parallelism == 1) {
            walk.run();
        } else {
            ExecutorService workers = Executors.newFixedThreadPool(parallelism,
                    DaemonThreads.named("flagway-verify-" + migration.id() + "-"));
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int i = 0; i < parallelism; i++) {
                    running.add(workers.submit(walk));
                }
                for (Future<?> worker : running) {
                    worker.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("verification of migration '" + migration.id() + "' interrupted", e);
            } catch (ExecutionException e) {
                // a worker records every SQL and runtime failure in the walk; only an Error ends up here
                throw (Error) e.getCause();
            } finally {
                workers.shutdownNow();
            }
        }
        if (walk.failure != null) {
            throw walk.failure;
        }
        Tally tally = walk.tally;
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

    /**
     * A Java transform: fetches the chunk's keys, new values and legacy values and compares them here.
     */
    private void compareHere(DSLContext dsl, Chunk chunk, Tally tally) {
        Transform.Java java = (Transform.Java) transform;
        for (Record3<Object, Object, Object> r : dsl.select(table.key(), table.modern(), table.legacy())
                .from(table.table()).where(table.range(dsl, chunk.after(), chunk.upTo())).orderBy(table.key())
                .fetch()) {
            tally.count(1, r.value2() == null ? 0 : 1, 0);
            Object expected;
            try {
                expected = java.function().apply(r.value3());
            } catch (RuntimeException e) {
                tally.bad(r.value1());
                continue;
            }
            tally.judge(r.value1(), r.value2(), expected);
        }
    }

    /**
     * A SQL transform: the database counts the chunk's rows, those with a new value and those whose new
     * value is exactly transform(legacy), and returns only the other rows (up to the first of them
     * that the count leaves unexplained), which are judged here as a Java transform's would be. So a
     * chunk that agrees sends back three numbers.
     */
    private void compareInDatabase(DSLContext dsl, Field<Object> derived, Chunk chunk, Tally tally) {
        Condition range = table.range(dsl, chunk.after(), chunk.upTo());
        Record3<Integer, Integer, BigDecimal> counts = dsl.select(DSL.count(), DSL.count(table.modern()),
                DSL.sum(DSL.when(identical(dsl, table.modern(), derived), DSL.inline(1)).otherwise(DSL.inline(0))))
                .from(table.table()).where(range).fetchOne();
        int rows = counts.value1();
        long identical = counts.value3() == null ? 0 : counts.value3().longValue();
        tally.count(rows, counts.value2(), identical);
        if (identical < rows) {
            for (Record3<Object, Object, Object> r : dsl.select(table.key(), table.modern(), derived)
                    .from(table.table()).where(range).and(DSL.not(identical(dsl, table.modern(), derived)))
                    .orderBy(table.key()).limit(rows - identical).fetch()) {
                tally.judge(r.value1(), r.value2(), r.value3());
            }
        }
    }

    /**
     * True only where the two values are certainly equal as {@link Transform#sameValue} sees them: the
     * same text (MySQL and MariaDB: the same bytes, since their usual collations ignore case and
     * trailing blanks), or both NULL. Values that differ only in how they are written (1.0 and 1) are
     * not identical here and are judged by {@link Transform#sameValue} instead.
     */
    private static Condition identical(DSLContext dsl, Field<Object> a, Field<Object> b) {
        if (ServerDialect.comparesTextLoosely(dsl.dialect())) {
            return ServerDialect.sameBytes(a, b);
        }
        return a.cast(SQLDataType.VARCHAR).isNotDistinctFrom(b.cast(SQLDataType.VARCHAR));
    }

    /**
     * The walk over the table, run by each of the {@code parallelism} workers: a worker claims the next
     * chunk (its last key found by an index-only {@code OFFSET} from the previous chunk's, so claims
     * are one at a time and cheap) and checks it, while the others claim and check the following ones.
     * The chunks' tallies are added in key order, so the report (its sample keys too) is the same
     * whatever the parallelism.
     */
    private final class Walk implements Runnable {
        private final Object claims = new Object();
        private final Map<Integer, Tally> finished = new HashMap<>();
        private final Tally tally = new Tally();
        private String after;
        private int claimed;
        private int added;
        private volatile boolean done;
        private volatile IllegalStateException failure;

        @Override
        public void run() {
            while (!done) {
                Chunk chunk = null;
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    c.setReadOnly(true);
                    try {
                        dialect.limitStatementTime(c, settings.statementTimeout());
                        DSLContext dsl = ServerDialect.using(c, dialect.sqlDialect());
                        chunk = claim(dsl);
                        if (chunk != null) {
                            Tally part = new Tally();
                            if (transform instanceof Transform.Sql sql) {
                                compareInDatabase(dsl, sql.over(table.legacy()), chunk, part);
                            } else {
                                compareHere(dsl, chunk, part);
                            }
                            add(chunk.index(), part);
                        }
                    } finally {
                        c.rollback();
                        c.setReadOnly(false);
                        c.setAutoCommit(true);
                    }
                } catch (SQLException | RuntimeException e) {
                    fail(new IllegalStateException("verification of migration '" + migration.id()
                            + "' failed after key " + (chunk == null ? claimFrom() : chunk.after()) + ": "
                            + e.getMessage(), e));
                }
            }
        }

        /** The next chunk, or null when the walk is done. */
        private Chunk claim(DSLContext dsl) {
            synchronized (claims) {
                if (done) {
                    return null;
                }
                String from = after;
                Object last = dsl.select(table.key()).from(table.table()).where(table.range(dsl, from, null))
                        .orderBy(table.key()).limit(1).offset(settings.chunkSize() - 1).fetchOne(table.key());
                after = last == null ? null : MigrationTable.keyText(last);
                done = last == null;
                return new Chunk(claimed++, from, after);
            }
        }

        /** Where the next claim starts. */
        private String claimFrom() {
            synchronized (claims) {
                return after;
            }
        }

        /** Adds a chunk's tally once those of every chunk before it are added. */
        private synchronized void add(int index, Tally part) {
            finished.put(index, part);
            for (Tally next = finished.remove(added); next != null; next = finished.remove(added)) {
                tally.add(next);
                added++;
            }
        }

        private synchronized void fail(IllegalStateException e) {
            if (failure == null) {
                failure = e;
            }
            done = true;
        }
    }

    /**
     * The keys after {@code after} (all when null) up to {@code upTo} (all the rest when null).
     *
     * @param index its place in key order, from 0
     */
    private record Chunk(int index, String after, String upTo) {
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

        /** Adds the counts and samples of the chunk after this tally's. */
        void add(Tally next) {
            count(next.total, next.withNew, next.matching);
            mismatched += next.mismatched;
            missing += next.missing;
            bad += next.bad;
            next.mismatchedKeys.forEach(k -> sample(mismatchedKeys, k));
            next.missingKeys.forEach(k -> sample(missingKeys, k));
            next.badKeys.forEach(k -> sample(badKeys, k));
        }

        void count(long rows, long rowsWithNew, long identical) {
            total += rows;
            withNew += rowsWithNew;
            matching += identical;
        }

        /** One row not counted as identical: matching, mismatched or missing. */
        void judge(Object key, Object stored, Object expected) {
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

        /** One row whose legacy value the transform throws on. */
        void bad(Object key) {
            bad++;
            sample(badKeys, key);
        }

        private void sample(List<String> keys, Object key) {
            if (keys.size() < settings.sampleSize()) {
                keys.add(MigrationTable.keyText(key));
            }
        }
    }

    /** Builds a {@link Verifier}; its walk is paced by {@link VerifySettings} (defaults there). */
    public static final class Builder {
        private final Migration migration;
        private final DataSource dataSource;
        private final Dialect dialect;
        private Transform transform;
        private VerifySettings.Builder settings = VerifySettings.custom();
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

        /** All of the walk's settings at once, replacing those set before. */
        public Builder settings(VerifySettings value) {
            this.settings = Checks.notNull("verify settings", value).toBuilder();
            return this;
        }

        /** Keys per chunk query; see {@link VerifySettings.Builder#chunkSize}. */
        public Builder chunkSize(int value) {
            settings.chunkSize(value);
            return this;
        }

        /** How many chunks are checked at once; see {@link VerifySettings.Builder#parallelism}. */
        public Builder parallelism(int value) {
            settings.parallelism(value);
            return this;
        }

        /** How many keys of each kind of failure the report lists; see {@link VerifySettings.Builder#sampleSize}. */
        public Builder sampleSize(int value) {
            settings.sampleSize(value);
            return this;
        }

        /** The longest a chunk query may run; see {@link VerifySettings.Builder#statementTimeout}. */
        public Builder statementTimeout(Duration value) {
            settings.statementTimeout(value);
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
