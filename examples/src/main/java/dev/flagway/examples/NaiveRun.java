package dev.flagway.examples;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The same traffic against a naive migration of a copy of the table: a plain ALTER TABLE (no lock
 * timeout) while the same long transaction holds its lock, one big UPDATE as the backfill, then a
 * big-bang deploy that switches every read to the new column at once, and the same fault on the new
 * column's path, with no fallback and no breaker. It keeps no promises; it shows what Flagway prevents.
 */
final class NaiveRun {
    private static final String MODERN = "email_normalized";

    private final DemoDatabase database;
    private final DemoOptions options;
    private final PrintStream out;
    private final UsersTable table;
    private final AtomicBoolean fault = new AtomicBoolean();
    private final List<RunResult.Fact> facts = new ArrayList<>();

    NaiveRun(DemoDatabase database, DemoOptions options, PrintStream out) {
        this.database = database;
        this.options = options;
        this.out = out;
        this.table = new UsersTable(database.dataSource(), options.table() + "_naive");
    }

    /** The table the run creates. */
    String tableName() {
        return table.name();
    }

    /** Runs the naive migration; the table must not exist yet. */
    @SuppressWarnings("try") // traffic and the blocker act while the blocks run; closing them waits
    RunResult run() throws Exception {
        table.create(options.users());
        BigBangUserRepository users = new BigBangUserRepository(
                JdbcUserRepository.legacy(database.dataSource(), table.name()),
                JdbcUserRepository.modern(database.dataSource(), table.name(), fault::get));
        RunRecorder recorder = new RunRecorder(users);
        Narrator narrator = new Narrator(out, recorder);
        out.println();
        out.println("=== The same traffic, naive migration of " + table.name() + " ===");
        narrator.begin("OFF", "version 1 of the application: legacy column only");
        Ledger ledger = new Ledger(options.users());
        try (Traffic traffic = new Traffic(users, RequestGate.none(), ledger, recorder, options.users(),
                options.threads(), options.rate())) {
            Narrator.hold(options.phaseTime());
            narrator.begin("ALTER", "plain ALTER TABLE, no lock timeout, while the back-office transaction "
                    + "holds its lock for " + Formats.duration(options.blockerTime()));
            long start = System.nanoTime();
            try (LongTransaction blocker = LongTransaction.start(database.dataSource(), table.name(), options.blockerTime())) {
                execute("alter table " + table.name() + " add column " + MODERN + " varchar(320)");
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            narrator.note("the ALTER finished after " + Formats.duration(waited) + "; " + lockBehaviour());
            facts.add(new RunResult.Fact("naive ALTER", "took " + Formats.duration(waited) + "; " + lockBehaviour()));

            narrator.begin("BACKFILL", "one UPDATE over the whole table, in one transaction");
            execute("update " + table.name() + " set " + MODERN + " = lower(trim(email))");
            Narrator.hold(options.phaseTime());

            narrator.begin("BIG-BANG SWITCH", "version 2 deployed everywhere: every read from the new column, "
                    + "writes to both columns without a transaction");
            users.deployVersion2();
            Narrator.hold(options.phaseTime());

            narrator.begin("FAULT", "the same bad deploy: every call on the new column's path fails; "
                    + "no fallback, no breaker");
            fault.set(true);
            Narrator.hold(options.phaseTime());

            narrator.begin("FIXED", "fault fixed; rows written while it lasted keep a stale new column");
            fault.set(false);
            Narrator.hold(options.phaseTime());
        }
        recorder.close();
        long stale = ledger.lostWrites(database.dataSource(), table.name(), MODERN);
        List<PhaseResult> phases = recorder.phases();
        long requests = phases.stream().mapToLong(PhaseResult::requests).sum();
        facts.add(0, new RunResult.Fact("requests / failed / wrong answers", Formats.count(requests) + " / "
                + Formats.count(phases.stream().mapToLong(PhaseResult::failed).sum()) + " / "
                + Formats.count(phases.stream().mapToLong(PhaseResult::wrong).sum())));
        facts.add(1, new RunResult.Fact("writes acknowledged / lost", Formats.count(ledger.acknowledgedWrites()) + " / "
                + Formats.count(stale) + " (new column differs from the last acknowledged write)"));
        recorder.failureReasons().forEach(reason -> facts.add(2, new RunResult.Fact("failed request", reason)));
        return new RunResult("naive", phases, recorder.ticks(), stale, List.copyOf(facts), List.of());
    }

    /** What the waiting ALTER did to the traffic on this database. */
    private String lockBehaviour() {
        switch (database.kind()) {
            case POSTGRESQL:
                return "queued for its ACCESS EXCLUSIVE lock, it made every later query on the table queue behind it";
            case MYSQL:
                return "waiting for its metadata lock, it made every later query on the table wait behind it";
            default:
                return "H2 lets reads through (they take no table lock) but queues writes behind the waiting ALTER, "
                        + "and its ALTER rebuilds the table under running statements";
        }
    }

    /** Runs a statement as a naive migration tool does: waiting as long as it takes. */
    private void execute(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(database.kind().lockTimeoutSql(Duration.ofMinutes(10)));
            try {
                s.execute(sql);
            } finally {
                s.execute(database.kind().lockTimeoutSql(DemoDatabase.REQUEST_DEADLINE));
            }
        }
    }

    /** Drops the table the run created. */
    void dropTable() throws SQLException {
        table.drop();
    }


}
