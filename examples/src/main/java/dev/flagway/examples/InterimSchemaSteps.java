package dev.flagway.examples;

import dev.flagway.Migration;
import dev.flagway.backfill.BackfillListener;
import dev.flagway.backfill.BackfillProgress;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillState;
import dev.flagway.contract.ContractDecision;
import dev.flagway.contract.ContractRefusedException;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.verify.VerificationReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The schema steps on MySQL/MariaDB, written by hand for this demo until {@code flagway-jdbc-mysql}
 * provides the dialect Flagway's engine needs there: the expand and the contract as one DDL statement
 * each under a short lock wait ({@code lock_wait_timeout = 0} on MariaDB), retried with backoff; a
 * key-range backfill at a capped rate; a verification query; the repair drain; and the contract gate's
 * four conditions checked from the same inputs the engine's gate reads. The new value is derived in
 * SQL as {@code lower(trim(email))}, which is what {@link UsersTable#normalize} does for the demo's addresses.
 */
final class InterimSchemaSteps implements SchemaSteps {
    private static final int DDL_ATTEMPTS = 100;
    private static final int BATCH = 500;
    private static final int ROWS_PER_SECOND = 10_000;

    private final Migration migration;
    private final DemoDatabase database;
    private final RepairLog repairLog;
    private final GateInputs gateInputs;
    private final String table;
    private final String legacy;
    private final String modern;
    private volatile boolean backfillCompleted;
    private volatile VerificationReport lastVerification;

    InterimSchemaSteps(Migration migration, DemoDatabase database, DemoTables tables, GateInputs gateInputs) {
        this.migration = migration;
        this.database = database;
        this.repairLog = RepairLog.named(tables.repairs());
        this.gateInputs = gateInputs;
        this.table = migration.table();
        this.legacy = migration.legacyColumn();
        this.modern = migration.newColumn();
    }

    @Override
    public Ddl expand() throws SQLException, InterruptedException {
        return lockSafe("alter table " + table + " add column " + modern + " varchar(320), algorithm=instant",
                () -> columnExists(modern));
    }

    @Override
    public BackfillResult backfill(BackfillListener progress) {
        long start = System.nanoTime();
        long updated = 0;
        String sql = "update " + table + " set " + modern + " = lower(trim(" + legacy + ")) where id >= ? and id < ? and "
                + modern + " is null and " + legacy + " is not null";
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            long total = queryLong(c, "select coalesce(max(id), 0) + 1 from " + table);
            long batches = 0;
            for (long from = 0; from < total; from += BATCH) {
                ps.setLong(1, from);
                ps.setLong(2, from + BATCH);
                updated += ps.executeUpdate();
                batches++;
                long walked = Math.min(total, from + BATCH);
                long ahead = (long) (walked * 1e9 / ROWS_PER_SECOND) - (System.nanoTime() - start);
                if (ahead > 0) {
                    Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                }
                double rate = walked / ((System.nanoTime() - start) / 1e9);
                progress.onProgress(new BackfillProgress(migration.id(), BackfillState.RUNNING, walked, updated, total,
                        rate, Duration.ofMillis((long) ((total - walked) / rate * 1000)), BATCH, null));
            }
            long drained = drainRepairs();
            backfillCompleted = true;
            return new BackfillResult(BackfillState.COMPLETED, total, updated, updated, drained, batches, 0, Duration.ZERO,
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (SQLException e) {
            throw new IllegalStateException("the backfill failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the backfill was interrupted", e);
        }
    }

    @Override
    public long drainRepairs() {
        long repaired = 0;
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement fix = c.prepareStatement("update " + table + " set " + modern + " = lower(trim(" + legacy
                     + ")) where id = ?")) {
            for (RepairLog.Entry entry : repairLog.pending(c, migration.id(), Integer.MAX_VALUE)) {
                fix.setLong(1, Long.parseLong(entry.rowKey()));
                fix.executeUpdate();
                repairLog.remove(c, migration.id(), entry.rowKey());
                repaired++;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the repair drain failed: " + e.getMessage(), e);
        }
        return repaired;
    }

    /** The runbook's row count and checksum query. */
    @Override
    public VerificationReport verify() {
        long start = System.nanoTime();
        String sql = "select count(*), count(" + modern + "), "
                + "sum(case when " + modern + " = lower(trim(" + legacy + ")) then 1 else 0 end), "
                + "sum(case when " + modern + " <> lower(trim(" + legacy + ")) then 1 else 0 end), "
                + "sum(case when " + modern + " is null and " + legacy + " is not null then 1 else 0 end) from " + table;
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            lastVerification = new VerificationReport(migration.id(), gateInputs.clock().instant(),
                    Duration.ofNanos(System.nanoTime() - start), rs.getLong(1), rs.getLong(2), rs.getLong(3),
                    rs.getLong(4), rs.getLong(5), List.of(), List.of());
            return lastVerification;
        } catch (SQLException e) {
            throw new IllegalStateException("the verification failed: " + e.getMessage(), e);
        }
    }

    /** The engine gate's conditions, from the same flag history, fallback journal and clock. */
    @Override
    public ContractDecision evaluateContract() {
        List<String> unmet = new ArrayList<>();
        List<String> met = new ArrayList<>();
        Instant windowStart = gateInputs.clock().instant().minus(gateInputs.businessCycle());
        Optional<Instant> modernSince = gateInputs.flagHistory().fullyModernSince(migration.flagKey());
        if (modernSince.isEmpty() || modernSince.get().isAfter(windowStart)) {
            unmet.add("flag '" + migration.flagKey() + "' has not been fully modern for the business cycle");
        } else {
            met.add("flag fully modern since " + modernSince.get());
        }
        long fallbacks = gateInputs.fallbacks().fallbacksSince(migration.id(), windowStart);
        (fallbacks == 0 ? met : unmet).add(fallbacks + " fallbacks since " + windowStart + " (zero required)");
        (backfillCompleted ? met : unmet).add("backfill " + (backfillCompleted ? "completed" : "not completed"));
        VerificationReport v = lastVerification;
        (v != null && v.passed() ? met : unmet).add(v == null ? "never verified" : "last verification " + v.summary());
        return new ContractDecision(migration.id(), unmet, met);
    }

    @Override
    public Ddl contract(String actor) throws SQLException, InterruptedException {
        ContractDecision decision = evaluateContract();
        if (!decision.allowed()) {
            throw new ContractRefusedException(decision);
        }
        return lockSafe("alter table " + table + " drop column " + legacy, () -> !columnExists(legacy));
    }

    private Ddl lockSafe(String ddl, SqlCheck done) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        DemoDatabase.Kind kind = database.kind();
        for (int attempt = 1; ; attempt++) {
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                if (done.holds()) {
                    return new Ddl(ddl, attempt - 1, Duration.ofNanos(System.nanoTime() - start));
                }
                s.execute(kind.lockTimeoutSql(Duration.ZERO));
                try {
                    s.execute(ddl);
                    return new Ddl(ddl, attempt, Duration.ofNanos(System.nanoTime() - start));
                } catch (SQLException e) {
                    if (!kind.isLockTimeout(e) || attempt == DDL_ATTEMPTS) {
                        throw e;
                    }
                } finally {
                    s.execute(kind.lockTimeoutSql(DemoDatabase.REQUEST_DEADLINE));
                }
            }
            long backoff = Math.min(1_000, 50L << Math.min(attempt, 4));
            Thread.sleep(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
        }
    }

    private boolean columnExists(String column) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             ResultSet rs = c.getMetaData().getColumns(c.getCatalog(), null, table, column)) {
            return rs.next();
        }
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A check that reads the database. */
    @FunctionalInterface
    private interface SqlCheck {
        boolean holds() throws SQLException;
    }
}
