package dev.flagway.examples;

import dev.flagway.Migration;
import dev.flagway.jdbc.RepairLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The schema side of the migration, written by hand for this demo while Flagway's own expand,
 * backfill, verification and contract-gate engine is not yet part of the library: expand and
 * contract as single DDL statements under a short lock timeout, retried with backoff; a key-range
 * backfill at a capped rate; a verification query; a repair drain; and a contract gate checking the
 * conditions the runbook names. The new value is derived in SQL as {@code lower(trim(email))}, which
 * is what {@link UsersTable#normalize} does for the demo's addresses.
 */
final class InterimSchemaSteps {
    private static final Duration DDL_LOCK_TIMEOUT = Duration.ofMillis(100);
    private static final int DDL_ATTEMPTS = 200;
    private static final int BATCH = 500;

    private final DemoDatabase database;
    private final Migration migration;
    private final RepairLog repairLog;
    private final RequestGate gate;
    private final String table;
    private final String legacy;
    private final String modern;
    private boolean backfillCompleted;
    private Verification lastVerification;

    InterimSchemaSteps(DemoDatabase database, Migration migration, RepairLog repairLog, RequestGate gate) {
        this.database = database;
        this.gate = gate;
        this.migration = migration;
        this.repairLog = repairLog;
        this.table = migration.table();
        this.legacy = migration.legacyColumn();
        this.modern = migration.newColumn();
    }

    /** How an expand or contract statement went. */
    record Ddl(String statement, int attempts, Duration elapsed) {
    }

    /**
     * A backfill's progress.
     *
     * @param rowsDone keys walked
     * @param totalRows keys to walk
     * @param rowsPerSecond keys walked per second so far
     * @param eta estimated time left
     * @param throttle what slows the backfill down, or {@code none}
     */
    record BackfillProgress(long rowsDone, long totalRows, double rowsPerSecond, Duration eta, String throttle) {
    }

    /** What a backfill did. */
    record BackfillSummary(long rowsWalked, long rowsUpdated, Duration elapsed) {
        double rowsPerSecond() {
            return rowsWalked / Math.max(1e-3, elapsed.toNanos() / 1e9);
        }
    }

    /** What a verification found. */
    record Verification(long rows, long missing, long mismatched) {
        boolean passed() {
            return missing == 0 && mismatched == 0;
        }
    }

    /** The contract gate's answer: allowed when nothing is unmet. */
    record GateDecision(List<String> unmet) {
        boolean allowed() {
            return unmet.isEmpty();
        }
    }

    /** Adds the new column, nullable, without queueing the traffic behind a lock for long. */
    Ddl expand() throws Exception {
        String ddl = "alter table " + table + " add column " + modern + " varchar(320)"
                + (database.kind() == DemoDatabase.Kind.MYSQL ? ", algorithm=instant" : "");
        return lockSafe(ddl, () -> columnExists(modern));
    }

    /**
     * Fills the new column for rows written before dual writes began, in key ranges of {@value #BATCH}
     * rows, each its own short transaction, at most {@code maxRowsPerSecond}.
     */
    BackfillSummary backfill(int maxRowsPerSecond, Consumer<BackfillProgress> progress) throws SQLException {
        long start = System.nanoTime();
        long maxId = queryLong("select coalesce(max(id), 0) from " + table);
        long updated = 0;
        String sql = "update " + table + " set " + modern + " = lower(trim(" + legacy + ")) where id >= ? and id < ? and "
                + modern + " is null and " + legacy + " is not null";
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (long from = 0; from <= maxId; from += BATCH) {
                ps.setLong(1, from);
                ps.setLong(2, from + BATCH);
                updated += ps.executeUpdate();
                long walked = Math.min(maxId + 1, from + BATCH);
                double seconds = (System.nanoTime() - start) / 1e9;
                double ahead = (double) walked / maxRowsPerSecond - seconds;
                if (ahead > 0) {
                    sleep(Duration.ofNanos((long) (ahead * 1e9)));
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                double rate = walked / elapsed;
                progress.accept(new BackfillProgress(walked, maxId + 1, rate,
                        Duration.ofMillis((long) ((maxId + 1 - walked) / rate * 1000)),
                        ahead > 0 ? String.format(Locale.ROOT, "rate cap %,d rows/s", maxRowsPerSecond) : "none"));
            }
        }
        backfillCompleted = true;
        return new BackfillSummary(maxId + 1, updated, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Re-derives the new column of every row whose modern write failed; returns how many. */
    long drainRepairs() throws SQLException {
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
        }
        return repaired;
    }

    /** Compares the two columns over the whole table (the runbook's row count and checksum query). */
    Verification verify() throws SQLException {
        String sql = "select count(*), "
                + "sum(case when " + modern + " is null and " + legacy + " is not null then 1 else 0 end), "
                + "sum(case when " + modern + " <> lower(trim(" + legacy + ")) then 1 else 0 end) from " + table;
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            lastVerification = new Verification(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            return lastVerification;
        }
    }

    /**
     * Whether the legacy column may be dropped: the flag has served {@code complete} to every user for
     * the business cycle, with no fallback in that time, after a completed backfill and a passed verification.
     *
     * @param completeSince since when the flag has served {@code complete} to every user, or null
     * @param lastFallback the last fallback to the legacy column, or null
     */
    GateDecision contractGate(Instant completeSince, Instant lastFallback, Duration businessCycle) {
        List<String> unmet = new ArrayList<>();
        Instant now = Instant.now();
        if (completeSince == null) {
            unmet.add("the flag does not serve complete to every user");
        } else if (Duration.between(completeSince, now).compareTo(businessCycle) < 0) {
            unmet.add(String.format(Locale.ROOT, "complete for %.1fs of the %s business cycle",
                    Duration.between(completeSince, now).toMillis() / 1000.0, Formats.duration(businessCycle)));
        }
        if (completeSince != null && lastFallback != null && lastFallback.isAfter(completeSince)) {
            unmet.add("a fallback to the legacy column happened at " + lastFallback);
        }
        if (!backfillCompleted) {
            unmet.add("the backfill has not completed");
        }
        if (lastVerification == null || !lastVerification.passed()) {
            unmet.add("the last verification did not pass");
        }
        return new GateDecision(unmet);
    }

    /** Drops the legacy column, lock-safely like the expand. */
    Ddl contract() throws Exception {
        return lockSafe("alter table " + table + " drop column " + legacy, () -> !columnExists(legacy));
    }

    private Ddl lockSafe(String ddl, SqlCheck done) throws Exception {
        long start = System.nanoTime();
        DemoDatabase.Kind kind = database.kind();
        for (int attempt = 1; ; attempt++) {
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                if (done.holds()) {
                    return new Ddl(ddl, attempt - 1, Duration.ofNanos(System.nanoTime() - start));
                }
                s.execute(kind.lockTimeoutSql(DDL_LOCK_TIMEOUT));
                try {
                    gate.alone(() -> s.execute(ddl));
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
             ResultSet rs = c.getMetaData().getColumns(c.getCatalog(),
                     database.kind() == DemoDatabase.Kind.MYSQL ? null : c.getSchema(), table, column)) {
            return rs.next();
        }
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A check that reads the database. */
    @FunctionalInterface
    private interface SqlCheck {
        boolean holds() throws SQLException;
    }
}
