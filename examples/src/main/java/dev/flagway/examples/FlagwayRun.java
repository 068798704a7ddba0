package dev.flagway.examples;

import dev.flagway.Stage;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.Checkpoint;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.contract.ContractDecision;
import dev.flagway.contract.ContractRefusedException;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.dialect.Dialect;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.lifecycle.MigrationLifecycle;
import dev.flagway.lifecycle.MigrationLifecycles;
import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.StatementOutcome;
import dev.flagway.verify.VerificationReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * The whole migration under live traffic, as an operator runs it with Flagway: one
 * {@link MigrationLifecycle} declared in {@code application.properties}, one call per move (expand,
 * dual writes and backfill, verification, shadow reads, the ramp 1% → 10% → 50% → 100%, ramp-down,
 * complete, the contract through its gate), an injected fault the breaker catches and switches off
 * for the fleet, and the fix. Two application instances share the database: instance A takes the
 * traffic, instance B shows the fleet converging on the clamped stage.
 */
final class FlagwayRun {
    private static final int PROBE_KEYS = 50;
    private static final Duration FALLBACK_FLUSH = Duration.ofMillis(200);
    private static final int BACKFILL_ROWS_PER_SECOND = 10_000;
    /** The lifecycle's pool: a backfill holds its runner lock and a batch, and its health signals query beside them. */
    private static final int LIFECYCLE_CONNECTIONS = 6;

    private final DemoDatabase database;
    private final DemoOptions options;
    private final PrintStream out;
    private final DemoTables tables;
    private final GateClock gateClock = new GateClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicBoolean fault = new AtomicBoolean();
    private final AtomicBoolean partialFault = new AtomicBoolean();
    private final List<RunResult.Fact> facts = new ArrayList<>();
    private final List<RunResult.Promise> promises = new ArrayList<>();

    FlagwayRun(DemoDatabase database, DemoOptions options, PrintStream out) {
        this.database = database;
        this.options = options;
        this.out = out;
        this.tables = new DemoTables(options.table());
    }

    /** The tables the run creates. */
    List<String> tables() {
        return tables.all();
    }

    /** Runs the migration; the tables must not exist yet. */
    @SuppressWarnings("try") // traffic runs while the block waits; closing it waits for requests in flight
    RunResult run() throws Exception {
        new UsersTable(database.dataSource(), tables.users()).create(options.users());
        Properties properties = AppInstance.properties(tables.users());
        properties.setProperty(property("contract.business-cycle"),
                GateClock.cycleFor(options.businessCycle()).toMillis() + "ms");
        options.breakerErrorRate().ifPresent(rate -> properties.setProperty(property("breaker.error-rate-threshold"),
                String.valueOf(rate)));
        AppInstance.Logs logs = new AppInstance.Logs(RepairLog.named(tables.repairs()), BadRowLog.named(tables.badRows()));
        BooleanSupplier modernFault = () -> fault.get()
                || partialFault.get() && ThreadLocalRandom.current().nextDouble() < options.partialFault();
        boolean fleetTraffic = options.partialFault() > 0;
        try (FallbackJournal journalA = FallbackJournal.start(database.dataSource(), tables.fallbacks(), FALLBACK_FLUSH, gateClock);
             AppInstance a = AppInstance.start("flagway-demo-a-" + tables.users(), database.dataSource(), properties,
                     tables.flags(), logs, modernFault, meters, journalA);
             var poolB = database.newPool("app-b", fleetTraffic ? options.threads() + 8 : 3);
             FallbackJournal journalB = FallbackJournal.start(poolB, tables.fallbacks(), FALLBACK_FLUSH, gateClock);
             AppInstance b = AppInstance.start("flagway-demo-b-" + tables.users(), poolB, properties, tables.flags(),
                     logs, modernFault, fleetTraffic ? meters : new SimpleMeterRegistry(), journalB);
             var lifecyclePool = database.newPool("lifecycle", LIFECYCLE_CONNECTIONS)) {
            RequestGate gate = RequestGate.forDatabase(database.kind());
            MigrationLifecycle lifecycle = lifecycle(a, gate.ddlDataSource(lifecyclePool),
                    database.kind().dialect(lifecyclePool));
            Operator operator = new Operator(a.provider().admin(), lifecycle.migration().flagKey(), a, b);
            RunRecorder recorder = new RunRecorder(new MeterRoutingCounters(meters));
            Narrator narrator = new Narrator(out, recorder);
            narrator.begin("OFF", "the application before the migration: legacy column only");
            Ledger ledger = new Ledger(options.users());
            UserRepository users = fleetTraffic ? new EitherInstance(a.users(), b.users()) : a.users();
            try (Traffic traffic = new Traffic(users, gate, ledger, recorder, options.users(), options.threads(),
                    options.rate())) {
                Narrator.hold(options.phaseTime());
                new Moves(lifecycle, operator, a, b, traffic, narrator).all();
            }
            recorder.close();
            long lost = ledger.lostWrites(database.dataSource(), tables.users(), lifecycle.migration().newColumn());
            facts.add(0, new RunResult.Fact("writes acknowledged / lost", Formats.count(ledger.acknowledgedWrites())
                    + " / " + Formats.count(lost)));
            promises.add(0, new RunResult.Promise("no acknowledged write lost", lost == 0,
                    Formats.count(ledger.acknowledgedWrites()) + " writes acknowledged, " + Formats.count(lost)
                            + " rows differ from their last acknowledged write"));
            return result(recorder, lost);
        }
    }

    /**
     * The migration's lifecycle, declared in {@code application.properties} (table, columns, new column's
     * type, transform, business cycle) and wired to instance A's Flagway: its fallback journal, the
     * provider's flag store, and the demo's tables, on the gate's clock.
     */
    private MigrationLifecycle lifecycle(AppInstance a, DataSource dataSource, Dialect dialect) {
        return MigrationLifecycles.builder(a.flagway(), dataSource, dialect,
                        Operator.flagsOnGateClock(a.provider().admin(), gateClock))
                .backfillSettings(BackfillSettings.custom()
                        .maxRowsPerSecond(BACKFILL_ROWS_PER_SECOND)
                        .targetBatchDuration(Duration.ofMillis(50))   // short batches hold their row locks briefly
                        .maxBatchSize(1_000)
                        .checkpointTable(tables.checkpoints())
                        .repairTable(tables.repairs())
                        .badRowTable(tables.badRows())
                        .build())
                .ddlSettings(DdlSettings.custom()
                        .lockTimeout(database.kind().ddlLockWait())   // requests wait at most this long behind a DDL
                        .maxAttempts(100)
                        .initialBackoff(Duration.ofMillis(100))
                        .maxBackoff(Duration.ofSeconds(1))
                        .build())
                .verificationTable(tables.verifications())
                .auditTable(tables.schemaAudit())
                .lifecycleTable(tables.lifecycle())
                .clock(gateClock)
                .build()
                .lifecycle(AppInstance.MIGRATION);
    }

    private static String property(String name) {
        return "flagway.migrations." + AppInstance.MIGRATION + "." + name;
    }

    /** The operator's moves, one lifecycle call each, while the traffic runs. */
    private final class Moves {
        private final MigrationLifecycle lifecycle;
        private final Operator operator;
        private final AppInstance a;
        private final AppInstance b;
        private final Traffic traffic;
        private final Narrator narrator;

        Moves(MigrationLifecycle lifecycle, Operator operator, AppInstance a, AppInstance b, Traffic traffic,
              Narrator narrator) {
            this.lifecycle = lifecycle;
            this.operator = operator;
            this.a = a;
            this.b = b;
            this.traffic = traffic;
            this.narrator = narrator;
        }

        void all() throws Exception {
            expand();
            narrator.begin("DUAL_WRITE + BACKFILL", "lifecycle.startDualWrite(...), lifecycle.backfill(...): every write "
                    + "goes to both columns in one transaction; the backfill fills the rows written before, and re-derives "
                    + "those the flip left stale");
            lifecycle.startDualWrite(Operator.NAME, "expand done, dual writes start");
            operator.served();
            // a request that resolved `off` before every instance served dual_write may still be writing the
            // legacy column alone; the backfill re-derives the stale rows it walks, but one committed behind
            // the walk would fail the verification (and be repaired by backfilling again): let them finish
            traffic.awaitRequestsStartedBefore(System.nanoTime());
            backfill();
            narrator.begin("VERIFY", "lifecycle.verify(...): compare the two columns over the whole table");
            boolean verified = verify("after the backfill");
            shadowAndRamp();

            narrator.begin("FAULT", "a bad deploy: every call on the new column's path now fails");
            Optional<String> trip = injectFault();
            fix(100, "the fault");

            narrator.begin("RAMP_DOWN", "lifecycle.rampDown(...): every user reads the new column; legacy still "
                    + "written, fallback still on");
            lifecycle.rampDown(Operator.NAME, "LIVE 100% healthy");
            operator.served();
            Narrator.hold(options.phaseTime());
            verified &= verify("before complete");
            RunResult.Promise gate = completeAndContract();

            promises.add(new RunResult.Promise("verification clean", verified, "after the backfill and before complete"));
            promises.add(new RunResult.Promise("breaker tripped on the injected fault", trip.isPresent(),
                    trip.orElse("no trip")));
            promises.add(gate);
        }

        @SuppressWarnings("try") // the blocker holds its lock while the block runs
        private void expand() throws Exception {
            narrator.begin("EXPAND", "lifecycle.expand(...): add column email_normalized while a back-office "
                    + "transaction holds a lock on " + tables.users() + " for " + Formats.duration(options.blockerTime()));
            long start = System.nanoTime();
            try (LongTransaction blocker = LongTransaction.start(database.dataSource(), tables.users(),
                    options.blockerTime())) {
                lifecycle.expand(Operator.NAME, "release with the new column deployed");
            }
            operator.served();
            String elapsed = Formats.duration(Duration.ofNanos(System.nanoTime() - start));
            narrator.note(String.format(Locale.ROOT, "done in %s: each attempt waits at most %s for its lock, then "
                    + "retries with backoff, so requests never queue behind it for longer; the flag exists at off",
                    elapsed, Formats.duration(database.kind().ddlLockWait())));
            facts.add(new RunResult.Fact("expand", elapsed + " behind a " + Formats.duration(options.blockerTime())
                    + " lock"));
        }

        /**
         * Runs the backfill; its progress is read from its checkpoint meanwhile, as any instance of the fleet
         * could (the lifecycle's backfill takes no listener).
         */
        private void backfill() throws InterruptedException {
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
            long start = System.nanoTime();
            progress.scheduleWithFixedDelay(() -> lifecycle.backfillCheckpoint().ifPresent(c ->
                    narrator.progress(progressLine(c, System.nanoTime() - start))), 250, 250, TimeUnit.MILLISECONDS);
            BackfillResult backfill;
            try {
                backfill = lifecycle.backfill(Operator.NAME, "fill the rows written before dual writes");
            } finally {
                progress.shutdownNow();
                progress.awaitTermination(5, TimeUnit.SECONDS);
            }
            String backfilled = String.format(Locale.ROOT, "%s rows filled of %s walked in %s (%s rows/s)",
                    Formats.count(backfill.rowsUpdated()), Formats.count(backfill.rowsDone()),
                    Formats.duration(backfill.elapsed()),
                    Formats.count((long) (backfill.rowsDone() / Math.max(1e-3, backfill.elapsed().toNanos() / 1e9))));
            narrator.note("backfill " + backfill.state().name().toLowerCase(Locale.ROOT) + ": " + backfilled);
            facts.add(new RunResult.Fact("backfill", backfilled));
        }

        private String progressLine(Checkpoint c, long elapsedNanos) {
            int width = 24;
            long total = Math.max(c.rowsDone(), options.users());
            int filled = (int) (width * c.rowsDone() / total);
            double rate = c.rowsDone() / Math.max(1e-3, elapsedNanos / 1e9);
            String eta = rate < 1 ? "?" : Formats.duration(Duration.ofMillis((long) ((total - c.rowsDone()) / rate * 1000)));
            return String.format(Locale.ROOT, "backfill [%s%s] %s of ~%s rows  %s rows/s  ETA %s", "#".repeat(filled),
                    ".".repeat(width - filled), Formats.count(c.rowsDone()), Formats.count(total),
                    Formats.count((long) rate), eta);
        }

        /**
         * Re-derives the new column of rows whose new-column write failed: once the backfill's walk is
         * complete, a backfill only drains the repair log.
         */
        private void repair(String after) {
            long repaired = lifecycle.backfill(Operator.NAME, "repair the writes " + after + " left behind")
                    .repairsDrained();
            narrator.note("lifecycle.backfill(...) repaired " + Formats.count(repaired)
                    + " rows whose new-column write had failed");
            facts.add(new RunResult.Fact("rows repaired after " + after, Formats.count(repaired)));
        }

        private void shadowAndRamp() throws InterruptedException {
            narrator.begin("SHADOW", "lifecycle.shadow(...): reads answered from the legacy column; the new one read "
                    + "and compared off the request thread");
            lifecycle.shadow(Operator.NAME, "backfill verified");
            operator.served();
            Narrator.hold(options.phaseTime());
            narrator.note("shadow comparisons so far: " + Formats.count(count("flagway.shadow.reads"))
                    + ", mismatches: " + Formats.count(count("flagway.shadow.mismatches")));
            for (int percent : new int[] {1, 10, 50, 100}) {
                narrator.begin("LIVE " + percent + "%", "lifecycle.live(" + percent + ", ...): these users read the "
                        + "new column, with the legacy one as fallback");
                live(percent);
                if (percent == 50 && options.partialFault() > 0) {
                    partialFaultAtLive50();
                } else {
                    Narrator.hold(options.phaseTime());
                }
            }
        }

        private void live(int percent) throws InterruptedException {
            lifecycle.live(percent, Operator.NAME, "ramp to " + percent + "%");
            operator.served();
        }

        /**
         * Makes a share of the new column's calls fail at random on both instances for one phase, then
         * repairs what it left behind, and fixes it as {@link #fix} does when a breaker tripped on it.
         */
        private void partialFaultAtLive50() throws InterruptedException {
            String share = Formats.percent(options.partialFault());
            narrator.note("a partial fault: " + share + " of the calls on the new column's path fail at random, on "
                    + "both instances, which share the traffic");
            partialFault.set(true);
            Narrator.hold(options.phaseTime());
            partialFault.set(false);
            long failedModernWrites = count("flagway.writes", "path", "modern", "outcome", "error");
            long repairedInline = count("flagway.repairs", "outcome", "inline");
            String outcome = Formats.count(failedModernWrites) + " failed new-column writes so far, "
                    + Formats.count(repairedInline) + " repaired in their own transaction; breakers: A "
                    + lower(a.migration().breaker().state()) + ", B " + lower(b.migration().breaker().state());
            narrator.note(outcome);
            facts.add(new RunResult.Fact("partial fault (" + share + ") at LIVE 50%", outcome));
            if (a.migration().breaker().state() != CircuitBreaker.State.CLOSED
                    || b.migration().breaker().state() != CircuitBreaker.State.CLOSED) {
                fix(50, "the partial fault");
            } else {
                traffic.awaitRequestsStartedBefore(System.nanoTime());
                repair("the partial fault");
            }
        }

        /**
         * Fixes the fault and goes back to {@code percent}% the way the lifecycle allows after a trip:
         * roll back to dual_write (which enables the flag again), repair the rows the fault left behind,
         * reset the breakers, shadow, live again.
         */
        private void fix(int percent, String fault) throws InterruptedException {
            narrator.begin("FIXED", "fault fixed; lifecycle.rollbackToDualWrite(...), backfill(...) repairs the "
                    + "failed new-column writes, breakers reset, shadow(...), live(" + percent + ", ...)");
            FlagwayRun.this.fault.set(false);
            traffic.awaitRequestsStartedBefore(System.nanoTime()); // their failed writes are recorded once they commit
            lifecycle.rollbackToDualWrite(Operator.NAME, "fault fixed");
            operator.served();
            repair(fault);
            a.migration().breaker().reset(Operator.NAME);
            b.migration().breaker().reset(Operator.NAME);
            lifecycle.shadow(Operator.NAME, "fault fixed, rows repaired");
            operator.served();
            live(percent);
            narrator.note("back to LIVE " + percent + "%");
            Narrator.hold(options.phaseTime());
        }

        /** Completes the migration and contracts once the gate allows it; returns the gate's promise. */
        private RunResult.Promise completeAndContract() throws InterruptedException {
            narrator.begin("COMPLETE", "lifecycle.complete(...): new column only. Business cycle: 7 days in "
                    + "production, shortened for the demo to " + Formats.duration(options.businessCycle())
                    + " from LIVE 100% (the gate's clock runs " + GateClock.SPEED + " times faster: "
                    + Formats.duration(GateClock.cycleFor(options.businessCycle())) + " on it)");
            lifecycle.complete(Operator.NAME, "ramp-down clean");
            operator.served();
            narrator.note("(times below are on the gate's clock)");
            boolean contractedEarly = contract("now");
            boolean contractedLate = false;
            if (!contractedEarly) {
                // the fallback journal counts whole minutes of the gate's clock: one more real second keeps the
                // minute of the last fallback before LIVE 100% out of the window
                Instant cycleEnd = operator.fullyModernSince().orElseThrow()
                        .plus(options.businessCycle()).plusSeconds(1);
                Narrator.hold(Duration.ofMillis(Math.max(0, Duration.between(Instant.now(), cycleEnd).toMillis())));
                contractedLate = contract("after the business cycle");
            }
            if (contractedLate) {
                Narrator.hold(options.phaseTime());
            }
            String outcome = (contractedEarly ? "allowed" : "refused") + " before the business cycle, "
                    + (contractedLate ? "allowed and done" : "refused") + " after it";
            facts.add(new RunResult.Fact("contract gate", outcome));
            return new RunResult.Promise("contract refused before the gate and allowed after",
                    !contractedEarly && contractedLate, outcome);
        }

        /** Asks the lifecycle for the contract; returns whether it ran. */
        private boolean contract(String when) {
            ContractDecision decision = lifecycle.gate();
            try {
                List<StatementOutcome> outcomes = lifecycle.contract(Operator.NAME, "business cycle at 100% modern "
                        + "without fallback");
                narrator.note("contract gate " + when + ": open");
                decision.met().forEach(condition -> narrator.note("  + " + condition));
                StatementOutcome last = outcomes.get(outcomes.size() - 1);
                narrator.begin("CONTRACTED", "lifecycle.contract(...): legacy column email dropped; traffic goes on "
                        + "with the new column");
                narrator.note(last.statement().sql() + ": done in " + Formats.duration(last.elapsed()) + " after "
                        + last.attempts() + " attempt(s)");
                return true;
            } catch (ContractRefusedException e) {
                narrator.note("contract gate " + when + ": refused");
                e.decision().unmet().forEach(condition -> narrator.note("  - " + condition));
                return false;
            }
        }

        /**
         * Turns the fault on and waits for A's breaker to trip and for B to serve the clamped stage.
         *
         * @return how long the trip took and why, or empty when the breaker did not trip on this fault
         */
        private Optional<String> injectFault() throws InterruptedException {
            CircuitBreaker breaker = a.migration().breaker();
            boolean closedBefore = breaker.state() == CircuitBreaker.State.CLOSED;
            AtomicReference<String> reason = new AtomicReference<>();
            AtomicReference<Long> trippedAt = new AtomicReference<>();
            breaker.addListener(t -> {
                if (t.to() == CircuitBreaker.State.OPEN && trippedAt.compareAndSet(null, System.nanoTime())) {
                    reason.set(t.description());
                }
            });
            long start = System.nanoTime();
            long deadline = start + Duration.ofSeconds(15).toNanos();
            fault.set(true);
            while (trippedAt.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            if (trippedAt.get() == null || !closedBefore) {
                String what = closedBefore ? "no trip within 15s" : "the breaker was already open before the fault";
                narrator.note(what);
                facts.add(new RunResult.Fact("time from fault to trip", what));
                return Optional.empty();
            }
            String millis = Formats.millis((trippedAt.get() - start) / 1e6);
            String trip = millis + " ms (" + reason.get() + ")";
            narrator.note("instance A's breaker tripped " + millis + " ms after the fault: " + reason.get());
            narrator.note("A reads the legacy column again, and its breaker disabled the flag in the database for the fleet");
            facts.add(new RunResult.Fact("time from fault to trip", trip));
            String converged = awaitClamped(b, deadline);
            narrator.note(converged);
            facts.add(new RunResult.Fact("instance B", converged));
            Narrator.hold(options.phaseTime());
            return Optional.of(trip);
        }

        /** Waits until every probe key is in DUAL_WRITE on instance B, whose own breaker never saw the fault. */
        private static String awaitClamped(AppInstance b, long deadline) throws InterruptedException {
            long start = System.nanoTime();
            while (!IntStream.rangeClosed(1, PROBE_KEYS)
                    .allMatch(k -> b.migration().effectiveStage(String.valueOf(k)) == Stage.DUAL_WRITE)) {
                if (System.nanoTime() > deadline) {
                    return "instance B did NOT converge on dual_write";
                }
                Thread.sleep(5);
            }
            return String.format(Locale.ROOT, "instance B serves dual_write to every user %s ms later, through the provider "
                    + "(its own breaker: %s)", Formats.millis((System.nanoTime() - start) / 1e6),
                    b.migration().breaker().state().name().toLowerCase(Locale.ROOT));
        }

        private boolean verify(String when) {
            VerificationReport v = lifecycle.verify(Operator.NAME, "verify " + when);
            String text = Formats.count(v.totalRows()) + " rows, " + Formats.count(v.missingRows()) + " missing, "
                    + Formats.count(v.mismatchedRows()) + " mismatched";
            narrator.note("verification " + when + ": " + text);
            facts.add(new RunResult.Fact("verification " + when, text));
            return v.passed();
        }
    }

    private RunResult result(RunRecorder recorder, long lost) {
        List<PhaseResult> phases = recorder.phases();
        long failed = phases.stream().mapToLong(PhaseResult::failed).sum();
        long wrong = phases.stream().mapToLong(PhaseResult::wrong).sum();
        long requests = phases.stream().mapToLong(PhaseResult::requests).sum();
        long fallbacks = phases.stream().mapToLong(PhaseResult::fallbacks).sum();
        // from shadow until complete: a comparison made later, by an instance that has not yet seen
        // complete, compares a legacy column the others no longer write
        long lateMismatches = phases.stream().dropWhile(p -> !p.name().equals("SHADOW"))
                .takeWhile(p -> !p.name().equals("COMPLETE")).mapToLong(PhaseResult::shadowMismatches).sum();
        facts.add(0, new RunResult.Fact("requests / failed / wrong answers", Formats.count(requests) + " / "
                + Formats.count(failed) + " / " + Formats.count(wrong)));
        facts.add(1, new RunResult.Fact("fallbacks to the legacy column", Formats.count(fallbacks)));
        recorder.failureReasons().forEach(reason -> facts.add(2, new RunResult.Fact("failed request", reason)));
        promises.add(0, new RunResult.Promise("no failed request", failed == 0, Formats.count(failed) + " of "
                + Formats.count(requests) + " requests failed"));
        promises.add(1, new RunResult.Promise("every read returned the user's last write", wrong == 0,
                Formats.count(wrong) + " wrong answers"));
        promises.add(new RunResult.Promise("no shadow mismatch after verification", lateMismatches == 0,
                Formats.count(lateMismatches) + " mismatches from shadow to ramp_down"));
        return new RunResult("Flagway", phases, recorder.ticks(), lost, List.copyOf(facts), List.copyOf(promises));
    }


    private long count(String meter, String... tags) {
        return (long) meters.find(meter).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }


    /** Drops the tables the run created. */
    void dropTables() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String name : tables.all()) {
                s.execute("drop table if exists " + name);
            }
        }
    }
}
