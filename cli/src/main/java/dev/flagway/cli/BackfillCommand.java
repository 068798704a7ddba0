package dev.flagway.cli;

import dev.flagway.Migration;
import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillProgress;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.BackfillState;
import dev.flagway.backfill.Checkpoint;
import dev.flagway.internal.Durations;
import dev.flagway.lifecycle.MigrationLifecycle;
import dev.flagway.schema.DdlSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flagway backfill MIGRATION}: a dry run that says what the backfill would do, unless
 * {@code --execute} runs the library's {@link Backfill} (keyset batches, checkpoints, throttling on
 * the dialect's health signals, then the repair drain). Progress is a bar on a terminal and plain
 * lines otherwise; Ctrl-C pauses the backfill at its checkpoint (state {@code PAUSED}), and the same
 * command continues from there. Exit 7 when another runner holds the migration.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {"Fill the new column of rows written before dual writes began. A dry run unless --execute.",
                "Progress: a bar on a terminal, plain lines otherwise. Ctrl-C pauses at the checkpoint; run again to continue.",
                "Declared migrations (new-column-type) run through their lifecycle: transform-sql, their own backfill.* keys.",
                "Other migrations bound from properties copy the legacy value as it is (identity transform).",
                "Exit 7 when another runner holds the migration."})
final class BackfillCommand extends DatabaseCommand {
    /** How long Ctrl-C waits for the running batch to commit and the pause to be recorded. */
    private static final long PAUSE_WAIT_SECONDS = 30;
    /** Plain progress lines are printed at most this often (and on every state change). */
    private static final long LINE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    @Parameters(paramLabel = "MIGRATION", description = "The migration id of the configuration.")
    String migration;

    @Option(names = "--execute", description = "Run the backfill; without it nothing is written.")
    boolean execute;

    @Option(names = "--max-rows-per-second", paramLabel = "N", defaultValue = "0",
            description = "Rate cap; 0 for none; default: ${DEFAULT-VALUE}.")
    int maxRowsPerSecond;

    @Option(names = "--max-batch-size", paramLabel = "N", defaultValue = "25000",
            description = "Largest batch the adaptive sizer may reach; default: ${DEFAULT-VALUE}.")
    int maxBatchSize;

    @Option(names = "--runner-wait", paramLabel = "DURATION", defaultValue = "0s",
            description = "How long to wait for another runner of this migration; default: ${DEFAULT-VALUE}.")
    Duration runnerWait;

    @Option(names = "--progress", paramLabel = "auto|bar|lines", defaultValue = "auto",
            description = "Progress display: a bar on a terminal (auto), or plain lines; default: ${DEFAULT-VALUE}.")
    Progress progress;

    @Mixin
    AuditOptions audit;

    @Mixin
    Format format;

    /** How progress is shown. */
    enum Progress {
        /** A bar on a terminal, lines otherwise. */
        auto,
        /** A bar redrawn in place. */
        bar,
        /** One line at most every second and on every state change. */
        lines
    }

    @Override
    int run(Database db) {
        Migration m = db.migration(migration);
        BackfillSettings settings = BackfillSettings.custom()
                .maxRowsPerSecond(maxRowsPerSecond)
                .maxBatchSize(maxBatchSize)
                .initialBatchSize(Math.min(maxBatchSize, 1_000))
                .runnerWait(runnerWait)
                .build();
        if (!execute) {
            return dryRun(db, m, settings);
        }
        boolean bar = progress == Progress.bar || progress == Progress.auto && System.console() != null && !format.json();
        ProgressPrinter printer = new ProgressPrinter(out(), bar, format.json());
        try (MigrationTools tools = new MigrationTools(db, m)) {
            if (tools.declared()) {
                // through the lifecycle: its transform (transform-sql), the migration's own backfill.* settings,
                // refused outside dual_write..ramp_down, audited
                MigrationLifecycle lifecycle = tools.lifecycle(settings, DdlSettings.ofDefaults());
                String actor = audit.actor();
                String reason = audit.reason("backfill");
                return interruptible(m, printer, () -> lifecycle.backfill(actor, reason, printer),
                        lifecycle::pauseBackfill);
            }
        }
        Backfill backfill = Backfill.builder(m, db.dataSource(), db.dialect())
                .settings(settings)
                .transform(Identity.TRANSFORM)
                .listener(printer)
                .build();
        return interruptible(m, printer, backfill::run, backfill::pause);
    }

    /** Runs the backfill with Ctrl-C pausing it at its checkpoint, then reports it. */
    private int interruptible(Migration m, ProgressPrinter printer, Supplier<BackfillResult> run, Runnable pause) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> pauseOnInterrupt(pause, printer, finished), "flagway-backfill-pause");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        BackfillResult result;
        try {
            result = run.get();
        } finally {
            finished.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C arrived as the run ended: the hook reports it
        }
        printer.finish();
        return report(m, result);
    }

    private int report(Migration m, BackfillResult result) {
        if (format.json()) {
            out().println(Json.render(json(m, result)));
        } else {
            out().println("backfill " + m.id() + ": " + result.state() + ", " + result.rowsDone() + " rows walked, "
                    + result.rowsUpdated() + " written (" + result.rowsUpdatedThisRun() + " by this run), "
                    + result.repairsDrained() + " repairs drained, " + result.batches() + " batches in "
                    + Durations.format(result.elapsed().withNanos(result.elapsed().toMillisPart() * 1_000_000)));
        }
        if (result.state() == BackfillState.SKIPPED) {
            out().flush();
            throw new CliException(ExitCode.RUNNER_BUSY, "backfill of migration '" + m.id()
                    + "' not run: another runner holds its lock" + (runnerWait.isZero() ? " (--runner-wait waits for it)"
                    : " after waiting " + Durations.format(runnerWait)));
        }
        return ExitCode.OK;
    }

    private int dryRun(Database db, Migration m, BackfillSettings settings) {
        long estimate = db.withConnection("estimating the rows of " + m.table(),
                c -> db.dialect().estimateRows(c, m.tableName()));
        Optional<Checkpoint> checkpoint;
        try (MigrationTools tools = new MigrationTools(db, m)) {
            checkpoint = tools.checkpoints().load(m.id());
        }
        if (format.json()) {
            Map<String, Object> out = Json.object();
            out.put("migration", m.id());
            out.put("dryRun", true);
            out.put("table", m.table());
            out.put("legacyColumn", m.legacyColumn());
            out.put("newColumn", m.newColumn());
            out.put("estimatedRows", estimate);
            out.put("checkpointState", checkpoint.map(c -> c.state().name()).orElse(null));
            out.put("lastKey", checkpoint.map(Checkpoint::lastKey).orElse(null));
            out.put("rowsDone", checkpoint.map(Checkpoint::rowsDone).orElse(0L));
            out().println(Json.render(out));
        } else {
            out().println("dry run: backfill " + m.id() + " would set " + m.table() + "." + m.newColumn() + " from "
                    + m.legacyColumn() + m.transformSql().map(t -> " through " + t).orElse(" (as it is)") + " where it is NULL, " + (estimate > 0 ? "~" + estimate + " rows"
                    : "an unknown number of rows (the server has no statistics of the table yet)")
                    + ", in keyset batches of up to "
                    + settings.maxBatchSize() + (settings.maxRowsPerSecond() > 0 ? " at most " + settings.maxRowsPerSecond()
                    + " rows/s" : ""));
            out().println("checkpoint: " + checkpoint.map(c -> c.state() + " after key " + c.lastKey() + ", "
                    + c.rowsDone() + " rows walked").orElse("none, starts at the first key"));
            out().println("nothing written; pass --execute to run it");
        }
        return ExitCode.OK;
    }

    /**
     * On Ctrl-C: pause after the running batch, wait for the pause to be recorded, then let the JVM end
     * (a paused run waits for a resume that never comes, so it is not audited as a run of its own).
     */
    private void pauseOnInterrupt(Runnable pause, ProgressPrinter printer, CountDownLatch finished) {
        if (finished.getCount() == 0) {
            return;
        }
        pause.run();
        boolean paused = printer.awaitPaused(PAUSE_WAIT_SECONDS);
        PrintWriter err = err();
        err.println(paused ? "backfill " + migration + ": paused at its checkpoint after " + printer.rowsDone()
                + " rows; run the same command to continue"
                : "backfill " + migration + ": did not reach its checkpoint within " + PAUSE_WAIT_SECONDS
                        + " s; the last committed batch is kept, run the same command to continue");
        err.flush();
    }

    private static Map<String, Object> json(Migration m, BackfillResult r) {
        Map<String, Object> out = Json.object();
        out.put("migration", m.id());
        out.put("state", r.state().name());
        out.put("rowsDone", r.rowsDone());
        out.put("rowsUpdated", r.rowsUpdated());
        out.put("rowsUpdatedThisRun", r.rowsUpdatedThisRun());
        out.put("repairsDrained", r.repairsDrained());
        out.put("batches", r.batches());
        out.put("reconnects", r.reconnects());
        out.put("waitedForRunnerMillis", r.waitedForRunner());
        out.put("elapsedMillis", r.elapsed());
        return out;
    }

    /** Prints progress: a bar redrawn on a terminal, or plain lines; notices the pause Ctrl-C asked for. */
    static final class ProgressPrinter implements dev.flagway.backfill.BackfillListener {
        private static final int BAR_WIDTH = 30;

        private final PrintWriter out;
        private final boolean bar;
        private final boolean quiet;
        private final CountDownLatch paused = new CountDownLatch(1);
        private volatile long rowsDone;
        private BackfillState lastState;
        private long lastLine;
        private boolean drawn;

        ProgressPrinter(PrintWriter out, boolean bar, boolean quiet) {
            this.out = out;
            this.bar = bar;
            this.quiet = quiet;
        }

        @Override
        public synchronized void onProgress(BackfillProgress p) {
            rowsDone = p.rowsDone();
            if (p.state() == BackfillState.PAUSED && p.throttleReason() == null) {
                paused.countDown();
            }
            if (quiet) {
                return;
            }
            long now = System.nanoTime();
            boolean stateChanged = p.state() != lastState;
            if (!bar && !stateChanged && now - lastLine < LINE_INTERVAL_NANOS) {
                return;
            }
            lastState = p.state();
            lastLine = now;
            String text = text(p);
            if (bar) {
                out.print("\r" + text + "\u001b[K");
                drawn = true;
            } else {
                out.println(text);
            }
            out.flush();
        }

        private String text(BackfillProgress p) {
            StringBuilder s = new StringBuilder();
            boolean estimated = p.estimatedTotal() > 0;
            if (bar && estimated) {
                double share = p.estimatedTotal() > 0 ? Math.min(1.0, (double) p.rowsDone() / p.estimatedTotal()) : 0;
                int filled = (int) Math.round(share * BAR_WIDTH);
                s.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ")
                        .append(Math.round(share * 100)).append("% ");
            }
            s.append(p.state().name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(p.rowsDone())
                    .append(estimated ? "/~" + p.estimatedTotal() : "").append(" rows, ").append(p.rowsUpdated())
                    .append(" written, ").append(Math.round(p.rowsPerSecond())).append(" rows/s, ETA ")
                    .append(p.eta() == null ? "-" : Durations.format(p.eta().withNanos(0))).append(", batch ")
                    .append(p.batchSize());
            if (p.throttleReason() != null) {
                s.append(", throttled: ").append(p.throttleReason());
            }
            return s.toString();
        }

        synchronized void finish() {
            if (drawn) {
                out.println();
                out.flush();
            }
        }

        boolean awaitPaused(long seconds) {
            try {
                return paused.await(seconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        long rowsDone() {
            return rowsDone;
        }
    }
}
