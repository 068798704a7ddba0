package dev.flagway.examples;

import dev.flagway.Stage;
import dev.flagway.backfill.BackfillProgress;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.contract.ContractDecision;
import dev.flagway.contract.ContractRefusedException;
import dev.flagway.contract.FallbackJournal;
import dev.flagway.jdbc.BadRowLog;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.verify.VerificationReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * The whole migration under live traffic, as an operator runs it with Flagway: expand, dual writes
 * and backfill, verification, shadow reads, the ramp 1% → 10% → 50% → 100% through the provider's
 * admin API, an injected fault the breaker catches and switches off for the fleet, the fix, ramp-down,
 * complete, the contract gate and the contract. Two application instances share the database:
 * instance A takes the traffic, instance B shows the fleet converging on the clamped stage.
 */
final class FlagwayRun {
    private static final int PROBE_KEYS = 50;
    private static final Duration FALLBACK_FLUSH = Duration.ofMillis(200);
    private static final Duration TRAFFIC_P95_LIMIT = Duration.ofMillis(50);

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
        options.breakerErrorRate().ifPresent(rate -> properties.setProperty(
                "flagway.migrations." + AppInstance.MIGRATION + ".breaker.error-rate-threshold", String.valueOf(rate)));
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
             var ddlPool = database.newPool("schema-changes", 2)) {
            Operator operator = new Operator(a.provider().admin(), a.migration().migration().flagKey(), a, b);
            operator.create();
            RunRecorder recorder = new RunRecorder(new MeterRoutingCounters(meters));
            Narrator narrator = new Narrator(out, recorder);
            narrator.begin("OFF", "the application before the migration: legacy column only");
            Ledger ledger = new Ledger(options.users());
            RequestGate gate = RequestGate.forDatabase(database.kind());
            SchemaSteps steps = new SchemaSteps(a.migration().migration(), database.dataSource(),
                    gate.ddlDataSource(ddlPool), database.kind().dialect(ddlPool), database.kind().ddlLockWait(), tables,
                    new SchemaSteps.GateInputs(operator.history(gateClock), journalA, gateClock,
                            GateClock.cycleFor(options.businessCycle())),
                    new TrafficHealthSignal(recorder, TRAFFIC_P95_LIMIT));
            UserRepository users = fleetTraffic ? new EitherInstance(a.users(), b.users()) : a.users();
            try (Traffic traffic = new Traffic(users, gate, ledger, recorder, options.users(), options.threads(),
                    options.rate())) {
                Narrator.hold(options.phaseTime());
                lifecycle(a, b, operator, steps, traffic, narrator);
            }
            recorder.close();
            long lost = ledger.lostWrites(database.dataSource(), tables.users(), a.migration().migration().newColumn());
            facts.add(0, new RunResult.Fact("writes acknowledged / lost", Formats.count(ledger.acknowledgedWrites())
                    + " / " + Formats.count(lost)));
            promises.add(0, new RunResult.Promise("no acknowledged write lost", lost == 0,
                    Formats.count(ledger.acknowledgedWrites()) + " writes acknowledged, " + Formats.count(lost)
                            + " rows differ from their last acknowledged write"));
            return result(recorder, lost);
        }
    }

    private void lifecycle(AppInstance a, AppInstance b, Operator operator, SchemaSteps steps, Traffic traffic,
                           Narrator narrator) throws Exception {
        expand(steps, narrator);
        backfill(operator, steps, narrator);
        narrator.begin("VERIFY", "compare the two columns over the whole table");
        boolean verified = verify(steps, narrator, "after the backfill");
        shadowAndRamp(a, b, operator, steps, traffic, narrator);

        narrator.begin("FAULT", "a bad deploy: every call on the new column's path now fails");
        Optional<String> trip = injectFault(a, b, narrator);
        fix(a, b, operator, steps, traffic, narrator);

        narrator.begin("RAMP_DOWN", "every user reads the new column; legacy still written, fallback still on");
        operator.stage(Stage.RAMP_DOWN, "LIVE 100% healthy");
        Narrator.hold(options.phaseTime());
        verified &= verify(steps, narrator, "before complete");
        RunResult.Promise gate = completeAndContract(operator, steps, narrator);

        promises.add(new RunResult.Promise("verification clean", verified, "after the backfill and before complete"));
        promises.add(new RunResult.Promise("breaker tripped on the injected fault", trip.isPresent(),
                trip.orElse("no trip")));
        promises.add(gate);
    }

    @SuppressWarnings("try") // the blocker holds its lock while the block runs
    private void expand(SchemaSteps steps, Narrator narrator) throws Exception {
        narrator.begin("EXPAND", "add column email_normalized while a back-office transaction holds a lock on "
                + tables.users() + " for " + Formats.duration(options.blockerTime()));
        SchemaSteps.Ddl expand;
        try (LongTransaction blocker = LongTransaction.start(database.dataSource(), tables.users(), options.blockerTime())) {
            expand = steps.expand();
        }
        narrator.note(String.format(Locale.ROOT, "%s: done in %s after %d attempt(s), each waiting at most %s for its "
                + "lock, so requests never queued behind it for longer", expand.statement(),
                Formats.duration(expand.elapsed()), expand.attempts(), Formats.duration(database.kind().ddlLockWait())));
        facts.add(new RunResult.Fact("expand", expand.attempts() + " attempt(s), " + Formats.duration(expand.elapsed())));
    }

    private void backfill(Operator operator, SchemaSteps steps, Narrator narrator) throws InterruptedException {
        narrator.begin("DUAL_WRITE + BACKFILL", "every write goes to both columns in one transaction; "
                + "the backfill fills the rows written before");
        operator.stage(Stage.DUAL_WRITE, "expand done, dual writes start");
        BackfillResult backfill = steps.backfill(p -> narrator.progress(progressLine(p)));
        String backfilled = String.format(Locale.ROOT, "%s rows filled of %s walked in %s (%s rows/s)",
                Formats.count(backfill.rowsUpdated()), Formats.count(backfill.rowsDone()),
                Formats.duration(backfill.elapsed()),
                Formats.count((long) (backfill.rowsDone() / Math.max(1e-3, backfill.elapsed().toNanos() / 1e9))));
        narrator.note("backfill " + backfill.state().name().toLowerCase(Locale.ROOT) + ": " + backfilled);
        facts.add(new RunResult.Fact("backfill", backfilled));
    }

    private void shadowAndRamp(AppInstance a, AppInstance b, Operator operator, SchemaSteps steps, Traffic traffic,
                               Narrator narrator) throws InterruptedException {
        narrator.begin("SHADOW", "reads answered from the legacy column; the new one read and compared off "
                + "the request thread");
        operator.stage(Stage.SHADOW, "backfill verified");
        Narrator.hold(options.phaseTime());
        narrator.note("shadow comparisons so far: " + Formats.count(count("flagway.shadow.reads")) + ", mismatches: "
                + Formats.count(count("flagway.shadow.mismatches")));
        for (int percent : new int[] {1, 10, 50, 100}) {
            narrator.begin("LIVE " + percent + "%", "admin.setRollout(\"users-email\", LIVE, " + percent
                    + ", ...): these users read the new column, with the legacy one as fallback");
            operator.rollout(percent);
            if (percent == 50 && options.partialFault() > 0) {
                partialFaultAtLive50(a, b, operator, steps, traffic, narrator);
            } else {
                Narrator.hold(options.phaseTime());
            }
        }
    }

    /**
     * Makes a share of the new column's calls fail at random on both instances for one phase, then
     * fixes what it left behind as {@link #fix} does when a breaker tripped on it.
     */
    private void partialFaultAtLive50(AppInstance a, AppInstance b, Operator operator, SchemaSteps steps,
                                      Traffic traffic, Narrator narrator) throws InterruptedException {
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
            fix(a, b, operator, steps, traffic, narrator);
        }
    }

    /** Fixes the fault, repairs the rows it left behind, resets the breaker and enables the flag again. */
    private void fix(AppInstance a, AppInstance b, Operator operator, SchemaSteps steps, Traffic traffic,
                     Narrator narrator) throws InterruptedException {
        narrator.begin("FIXED", "fault fixed, failed new-column writes repaired, breaker reset, flag enabled");
        fault.set(false);
        traffic.awaitRequestsStartedBefore(System.nanoTime()); // their failed writes are recorded once they commit
        long repaired = steps.drainRepairs();
        a.migration().breaker().reset(Operator.NAME);
        b.migration().breaker().reset(Operator.NAME);
        operator.enable("fault fixed, " + repaired + " rows repaired");
        narrator.note("repaired " + Formats.count(repaired) + " rows whose new-column write had failed; back to LIVE 100%");
        facts.add(new RunResult.Fact("rows repaired after the fault", Formats.count(repaired)));
        Narrator.hold(options.phaseTime());
    }

    /** Completes the migration and contracts once the gate allows it; returns the gate's promise. */
    private RunResult.Promise completeAndContract(Operator operator, SchemaSteps steps, Narrator narrator)
            throws InterruptedException {
        narrator.begin("COMPLETE", "new column only. Business cycle: 7 days in production, shortened for the "
                + "demo to " + Formats.duration(options.businessCycle()) + " (the gate's clock runs " + GateClock.SPEED
                + " times faster: " + Formats.duration(GateClock.cycleFor(options.businessCycle())) + " on it)");
        operator.stage(Stage.COMPLETE, "ramp-down clean");
        narrator.note("(times below are on the gate's clock)");
        boolean refusedEarly = refused(steps, narrator, "now");
        Narrator.hold(options.businessCycle().plusMillis(500));
        boolean refusedLate = refused(steps, narrator, "after the business cycle");
        if (!refusedLate) {
            narrator.begin("CONTRACTED", "legacy column email dropped; traffic goes on with the new column");
            SchemaSteps.Ddl contract = steps.contract(Operator.NAME);
            narrator.note(contract.statement() + ": done in " + Formats.duration(contract.elapsed()) + " after "
                    + contract.attempts() + " attempt(s)");
            Narrator.hold(options.phaseTime());
        }
        String outcome = (refusedEarly ? "refused" : "allowed") + " before the business cycle, "
                + (refusedLate ? "refused" : "allowed and done") + " after it";
        facts.add(new RunResult.Fact("contract gate", outcome));
        return new RunResult.Promise("contract refused before the gate and allowed after", refusedEarly && !refusedLate,
                outcome);
    }

    /** Asks for the contract; returns whether the gate refused it. */
    private boolean refused(SchemaSteps steps, Narrator narrator, String when) {
        ContractDecision decision = steps.evaluateContract();
        if (decision.allowed()) {
            narrator.note("contract gate " + when + ": open");
            decision.met().forEach(condition -> narrator.note("  + " + condition));
            return false;
        }
        try {
            steps.contract(Operator.NAME);
            narrator.note("contract gate " + when + ": the contract ran although the gate was shut");
            return false;
        } catch (ContractRefusedException e) {
            narrator.note("contract gate " + when + ": refused");
            e.decision().unmet().forEach(condition -> narrator.note("  - " + condition));
            return true;
        } catch (Exception e) {
            throw new IllegalStateException("the contract failed: " + e.getMessage(), e);
        }
    }

    /**
     * Turns the fault on and waits for A's breaker to trip and for B to serve the clamped stage.
     *
     * @return how long the trip took and why, or empty when the breaker did not trip on this fault
     */
    private Optional<String> injectFault(AppInstance a, AppInstance b, Narrator narrator) throws InterruptedException {
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

    private boolean verify(SchemaSteps steps, Narrator narrator, String when) {
        VerificationReport v = steps.verify();
        String text = Formats.count(v.totalRows()) + " rows, " + Formats.count(v.missingRows()) + " missing, "
                + Formats.count(v.mismatchedRows()) + " mismatched";
        narrator.note("verification " + when + ": " + text);
        facts.add(new RunResult.Fact("verification " + when, text));
        return v.passed();
    }

    private static String progressLine(BackfillProgress p) {
        int width = 24;
        int filled = (int) Math.min(width, width * p.rowsDone() / Math.max(1, p.estimatedTotal()));
        return String.format(Locale.ROOT, "backfill [%s%s] %s of ~%s rows  %s rows/s  ETA %s  throttle: %s",
                "#".repeat(filled), ".".repeat(width - filled), Formats.count(p.rowsDone()),
                Formats.count(p.estimatedTotal()), Formats.count((long) p.rowsPerSecond()),
                p.eta() == null ? "?" : Formats.duration(p.eta()), p.throttleReason() == null ? "none" : p.throttleReason());
    }

    private RunResult result(RunRecorder recorder, long lost) {
        List<PhaseResult> phases = recorder.phases();
        long failed = phases.stream().mapToLong(PhaseResult::failed).sum();
        long wrong = phases.stream().mapToLong(PhaseResult::wrong).sum();
        long requests = phases.stream().mapToLong(PhaseResult::requests).sum();
        long fallbacks = phases.stream().mapToLong(PhaseResult::fallbacks).sum();
        long lateMismatches = phases.stream().dropWhile(p -> !p.name().equals("SHADOW"))
                .mapToLong(PhaseResult::shadowMismatches).sum();
        facts.add(0, new RunResult.Fact("requests / failed / wrong answers", Formats.count(requests) + " / "
                + Formats.count(failed) + " / " + Formats.count(wrong)));
        facts.add(1, new RunResult.Fact("fallbacks to the legacy column", Formats.count(fallbacks)));
        recorder.failureReasons().forEach(reason -> facts.add(2, new RunResult.Fact("failed request", reason)));
        promises.add(0, new RunResult.Promise("no failed request", failed == 0, Formats.count(failed) + " of "
                + Formats.count(requests) + " requests failed"));
        promises.add(1, new RunResult.Promise("every read returned the user's last write", wrong == 0,
                Formats.count(wrong) + " wrong answers"));
        promises.add(new RunResult.Promise("no shadow mismatch after verification", lateMismatches == 0,
                Formats.count(lateMismatches) + " mismatches"));
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
