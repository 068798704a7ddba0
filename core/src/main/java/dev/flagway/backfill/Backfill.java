package dev.flagway.backfill;

import dev.flagway.Migration;
import dev.flagway.dialect.ConnectionFailures;
import dev.flagway.dialect.Dialect;
import dev.flagway.dialect.HealthSignal;
import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.internal.Checks;
import dev.flagway.internal.ServerDialect;
import dev.flagway.internal.tables.TableDefinition;
import dev.flagway.internal.tables.TableSetup;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.jdbc.RepairLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.exception.DataAccessException;

/**
 * The dialect-neutral backfill engine. It walks a migration's table in keyset batches, each one
 * short transaction that fills the new column (rows where it is NULL, or differs when
 * {@linkplain BackfillSettings#reverify() re-verifying}) and writes the checkpoint, so a restart
 * continues exactly after the last committed batch. It adapts the batch size toward a target
 * duration, honours a rows-per-second cap, slows down on THROTTLE health readings and pauses on
 * CRITICAL ones. One runner per migration works at a time across the fleet; others wait or return.
 * When the walk is done it drains the migration's repair log. A row it cannot migrate stops it, or
 * under {@link TransformFailurePolicy#SKIP_AND_RECORD} goes to the {@link BadRowLog}
 * ({@link #badRows(int)}, {@link #resolveBadRow}). A lost connection (killed, server restart, network,
 * pool eviction) is retried up to {@link BackfillSettings#maxReconnects()} times in a row from the
 * checkpoint; a run that stops for any other reason leaves its checkpoint {@code FAILED} (or
 * {@code CANCELLED}), written on a fresh connection when the run's own is gone.
 *
 * <p>The dialect's health signals watch the database (replication, WAL, load). To hold the
 * application's own latency, add a {@link LatencySignal} on a timer the application records, and/or
 * leave it a share of the time with {@link BackfillSettings#restRatio()}.
 *
 * <pre>{@code
 * Backfill backfill = Backfill.builder(usersEmail, dataSource, new PostgresDialect())
 *         .settings(BackfillSettings.custom().maxRowsPerSecond(5_000).build())
 *         .listener(p -> log.info("{} of ~{} rows, ETA {}", p.rowsDone(), p.estimatedTotal(), p.eta()))
 *         .build();
 * BackfillResult result = backfill.run();   // blocks; pause(), resume(), cancel() from other threads
 * }</pre>
 */
public final class Backfill {
    final Migration migration;
    final DataSource dataSource;
    final Dialect dialect;
    final BackfillSettings settings;
    final List<HealthSignal> signals;
    final BackfillListener listener;
    final BackfillMetrics metrics;
    final Clock clock;
    final BatchWriter writer;
    final CheckpointStore checkpoints;
    final RepairLog repairs;
    final BadRowLog badRowLog;
    final List<TableDefinition> tables;
    final BackfillControl control = new BackfillControl();

    private Backfill(Builder b) {
        this.migration = b.migration;
        this.dataSource = b.dataSource;
        this.dialect = b.dialect;
        this.settings = b.settings;
        this.signals = b.signals == null ? dialect.defaultHealthSignals(dataSource) : List.copyOf(b.signals);
        this.listener = b.listener;
        this.metrics = b.registry == null ? null : BackfillMetrics.of(b.registry, migration.id());
        this.clock = b.clock;
        this.checkpoints = new CheckpointStore(dataSource, settings.checkpointTable());
        this.repairs = RepairLog.named(settings.repairTable());
        this.badRowLog = BadRowLog.named(settings.badRowTable());
        this.tables = List.of(checkpoints.definition(),
                new Bookkeeping.Repairs(Bookkeeping.name("repair table", settings.repairTable())).definition(),
                new Bookkeeping.BadRows(Bookkeeping.name("bad-row table", settings.badRowTable())).definition());
        this.writer = new BatchWriter(new MigrationTable(migration), b.transform == null ? Transform.of(migration)
                : b.transform, settings.reverify(),
                settings.transformFailurePolicy() == TransformFailurePolicy.SKIP_AND_RECORD
                        ? new BatchWriter.BadRows(badRowLog, migration.id(), e -> ConnectionFailures.isLost(e, dialect))
                        : null);
    }

    /** Starts a backfill definition for {@code migration} over {@code dataSource}. */
    public static Builder builder(Migration migration, DataSource dataSource, Dialect dialect) {
        return new Builder(migration, dataSource, dialect);
    }

    /**
     * Runs the backfill on the calling thread until it completes, is cancelled, or another runner
     * holds the lock past {@link BackfillSettings#runnerWait()}.
     *
     * @throws BackfillException when it stops on an error (its checkpoint keeps the last committed batch)
     */
    public BackfillResult run() {
        return new BackfillRun(this).execute();
    }

    /** Pauses after the current batch; {@link #resume()} continues. */
    public void pause() {
        control.pause();
    }

    /** Continues a paused backfill. */
    public void resume() {
        control.resume();
    }

    /** Stops after the current batch; the checkpoint keeps the place for a later run. */
    public void cancel() {
        control.cancel();
    }

    /** The persisted progress of this migration's backfill, or empty when it never ran. */
    public Optional<Checkpoint> checkpoint() {
        return checkpoints.load(migration.id());
    }

    /** Up to {@code limit} rows this migration's backfill could not migrate and nobody resolved yet, oldest first. */
    public List<BadRowLog.Entry> badRows(int limit) {
        return inTransaction("list the bad rows", c -> badRowLog.unresolved(c, migration.id(), limit));
    }

    /**
     * Resolves a bad row after its legacy value was fixed (or the row deleted): re-derives its new
     * column from the legacy value as the backfill does and marks it resolved, in one transaction.
     *
     * @param actor who resolves it, kept with the row
     * @return whether an unresolved bad row of that key existed
     * @throws BackfillException when the row still cannot be migrated (it stays unresolved), or the
     *     database cannot be reached
     */
    public boolean resolveBadRow(String rowKey, String actor) {
        Checks.notNull("row key", rowKey);
        Checks.notNull("actor", actor);
        return inTransaction("resolve bad row " + rowKey, c -> {
            writer.repairer().repair(ServerDialect.using(c, dialect.sqlDialect()), rowKey);
            return badRowLog.markResolved(c, migration.id(), rowKey, actor);
        });
    }

    /** Runs work in one transaction on a connection of its own (not a run's). */
    private <T> T inTransaction(String what, SqlFunction<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                TableSetup.ensure(dataSource, c, settings.createTables(), tables);
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | DataAccessException | TransformException e) {
            throw new BackfillException("could not " + what + " of migration '" + migration.id() + "'", e);
        }
    }

    /** Work on a connection. */
    @FunctionalInterface
    private interface SqlFunction<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Builds a {@link Backfill}. */
    public static final class Builder {
        private final Migration migration;
        private final DataSource dataSource;
        private final Dialect dialect;
        private BackfillSettings settings = BackfillSettings.ofDefaults();
        private Transform transform;
        private List<HealthSignal> signals;
        private BackfillListener listener = progress -> { };
        private MeterRegistry registry;
        private Clock clock = Clock.systemUTC();

        private Builder(Migration migration, DataSource dataSource, Dialect dialect) {
            this.migration = Checks.notNull("migration", migration);
            this.dataSource = Checks.notNull("data source", dataSource);
            this.dialect = Checks.notNull("dialect", dialect);
        }

        /** The pacing settings; {@link BackfillSettings#ofDefaults()} by default. */
        public Builder settings(BackfillSettings value) {
            this.settings = Checks.notNull("backfill settings", value);
            return this;
        }

        /** The transform; the migration's Java transform by default. */
        public Builder transform(Transform value) {
            this.transform = Checks.notNull("transform", value);
            return this;
        }

        /** The health signals to watch, replacing the dialect's defaults. */
        public Builder healthSignals(List<HealthSignal> value) {
            this.signals = List.copyOf(Checks.notNull("health signals", value));
            return this;
        }

        /** Adds a custom signal to the dialect's defaults (or to those set before). */
        public Builder addHealthSignal(HealthSignal signal) {
            List<HealthSignal> all = new ArrayList<>(signals == null ? dialect.defaultHealthSignals(dataSource) : signals);
            all.add(Checks.notNull("health signal", signal));
            this.signals = all;
            return this;
        }

        /** Receives progress after every batch. */
        public Builder listener(BackfillListener value) {
            this.listener = Checks.notNull("backfill listener", value);
            return this;
        }

        /** Registers the backfill meters there; none by default. */
        public Builder meterRegistry(MeterRegistry value) {
            this.registry = Checks.notNull("meter registry", value);
            return this;
        }

        /** The clock of checkpoint times; UTC system clock by default. */
        public Builder clock(Clock value) {
            this.clock = Checks.notNull("clock", value);
            return this;
        }

        /** The backfill. */
        public Backfill build() {
            return new Backfill(this);
        }
    }
}
