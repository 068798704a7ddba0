package dev.flagway.cli;

import dev.flagway.Migration;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.lifecycle.LifecycleMove;
import dev.flagway.lifecycle.LifecyclePhase;
import dev.flagway.lifecycle.MigrationLifecycle;
import dev.flagway.lifecycle.MigrationLifecycles;
import dev.flagway.lifecycle.MigrationStatus;
import dev.flagway.openfeature.FlagAuditEntry;
import dev.flagway.schema.AuditEvent;
import dev.flagway.schema.JdbcAuditLog;
import dev.flagway.verify.VerificationLog;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code flagway runbook MIGRATION}: the Markdown runbook of where a declared migration stands, to
 * paste into an incident or change ticket: phase, flag and its history, the lifecycle's audit trail,
 * the evidence and the gate, the commands of the legal next moves, the rollback of the current phase,
 * the DDL, and diagnostic queries. Reads only.
 */
@Command(name = "runbook", mixinStandardHelpOptions = true,
        description = {"The Markdown runbook of a declared migration's current state: flag and audit trail, evidence,",
                "gate, next and rollback commands, DDL, diagnostic queries. Changes nothing."})
final class RunbookCommand extends LifecycleCommand {
    /** The latest entries of each history shown. */
    private static final int HISTORY_SHOWN = 20;

    @Override
    int run(MigrationTools tools, MigrationLifecycle lifecycle) {
        MigrationStatus s = lifecycle.status();
        Migration m = tools.migration();
        PrintWriter out = out();
        LifecyclePhase phase = s.state().phase();
        out.println("# Runbook: " + m.id());
        out.println();
        out.println("`" + m.table() + "." + m.legacyColumn() + "` -> `" + m.newColumn() + "` (key `" + m.keyColumn()
                + "`" + m.transformSql().map(t -> ", transform `" + t + "`").orElse("") + "), read at " + s.readAt()
                + ".");
        out.println();
        out.println("- phase: **" + s.state().describe() + "** (version " + s.state().version()
                + (s.state().updatedBy() == null ? "" : ", by " + s.state().updatedBy() + " at " + s.state().updatedAt()
                        + ", last move: " + s.state().lastMove()) + ")");
        out.println("- flag `" + m.flagKey() + "`: " + (s.flag() == null ? "none yet" : s.flag().describe()));
        out.println("- backfill: " + (s.backfill() == null ? "never ran" : s.backfill().state() + ", "
                + s.backfill().rowsDone() + " rows walked, " + s.backfill().rowsUpdated() + " written, last key "
                + s.backfill().lastKey()));
        for (VerificationLog.Entry v : s.verifications()) {
            out.println("- verification at " + v.verifiedAt() + (v.stage() == null ? "" : " (" + v.stage().flagValue()
                    + ")") + ": " + v.summary());
        }
        if (s.verifications().isEmpty()) {
            out.println("- verification: never");
        }
        out.println("- pending repairs: " + s.pendingRepairs() + "; unresolved bad rows: " + s.unresolvedBadRows());
        out.println("- contract gate: " + (s.gate().allowed() ? "**open**" : "**refused**"));
        s.gate().unmet().forEach(u -> out.println("  - unmet: " + u));
        s.gate().met().forEach(u -> out.println("  - met: " + u));
        out.println();

        out.println("## Next moves");
        out.println();
        if (s.legalMoves().isEmpty()) {
            out.println("None: the migration is over.");
        }
        s.legalMoves().forEach(move -> out.println("- " + move.value() + ": `" + command(m, move) + "`"));
        out.println();
        out.println("## Rollback from " + phase.value());
        out.println();
        out.println(rollback(m, phase));
        out.println();

        out.println("## Flag history (latest " + HISTORY_SHOWN + ")");
        out.println();
        List<FlagAuditEntry> flagHistory = tools.flags().find(m.flagKey()).isPresent()
                ? latest(tools.flags().history(m.flagKey())) : List.of();
        out.println("| when | version | action | now serving | actor | reason |");
        out.println("|---|---|---|---|---|---|");
        flagHistory.forEach(e -> out.println("| " + e.changedAt() + " | " + e.version() + " | " + e.action() + " | "
                + (e.after() == null ? "deleted" : dev.flagway.cli.MigrationStatus.describe(e.after())) + " | " + cell(e.actor())
                + " | " + cell(e.reason()) + " |"));
        out.println();
        out.println("## Audit trail (latest " + HISTORY_SHOWN + ", `" + JdbcAuditLog.DEFAULT_TABLE + "`)");
        out.println();
        out.println("| when | action | actor | detail |");
        out.println("|---|---|---|---|");
        for (AuditEvent e : latest(tools.audit().events(m.id()))) {
            out.println("| " + e.at() + " | " + e.action() + " | " + cell(e.actor()) + " | " + cell(e.detail()) + " |");
        }
        out.println();

        out.println("## DDL");
        out.println();
        out.println("```sql");
        out.println(lifecycle.script().strip());
        out.println("```");
        out.println();
        out.println("## Diagnostic queries");
        out.println();
        out.println("```sql");
        out.println(queries(m, phase, tools));
        out.println("```");
        out.println();
        out.println("Who blocks whom on the table: `flagway locks --table " + m.table() + "`.");
        return ExitCode.OK;
    }

    private static String command(Migration m, LifecycleMove move) {
        String who = " --actor NAME --reason TEXT";
        String id = m.id();
        return "flagway " + switch (move) {
            case EXPAND -> "expand " + id + " --execute" + who;
            case START_DUAL_WRITE -> "stage " + id + " dual_write" + who;
            case BACKFILL -> "backfill " + id + " --execute" + who;
            case VERIFY -> "verify " + id + who;
            case SHADOW -> "stage " + id + " shadow" + who;
            case LIVE -> "stage " + id + " live --percent N" + who;
            case RAMP_DOWN -> "stage " + id + " ramp_down" + who;
            case COMPLETE -> "stage " + id + " complete" + who;
            case CONTRACT -> "contract " + id + " --execute" + who;
            case ROLLBACK_TO_DUAL_WRITE -> "rollback " + id + who;
            case UNDO_EXPAND -> "rollback " + id + " --undo-expand" + who;
            case START_ROLLOUT -> "rollout start " + id + who;
            case PAUSE_ROLLOUT -> "rollout pause " + id + who;
            case RESUME_ROLLOUT -> "rollout resume " + id + who;
            case CAP_ROLLOUT -> "rollout cap " + id + " N" + who;
        };
    }

    private static String rollback(Migration m, LifecyclePhase phase) {
        return switch (phase) {
            case PLANNED -> "Nothing to roll back: nothing is expanded.";
            case EXPANDED, DUAL_WRITE -> "Undo the expand (flag off, new column dropped, checkpoint reset): `"
                    + command(m, LifecycleMove.UNDO_EXPAND) + "`";
            case SHADOW, LIVE, RAMP_DOWN -> "Back to dual_write (legacy reads for every key, flag enabled again): `"
                    + command(m, LifecycleMove.ROLLBACK_TO_DUAL_WRITE) + "`; then, if the change is abandoned, `"
                    + command(m, LifecycleMove.UNDO_EXPAND) + "`";
            case COMPLETE -> "None: complete is one-way (legacy is no longer written and Flagway does no reverse"
                    + " backfill). Forward only: the contract once the gate allows it.";
            case CONTRACTED -> "None: the legacy column is dropped.";
        };
    }

    private static String queries(Migration m, LifecyclePhase phase, MigrationTools tools) {
        String id = "'" + m.id() + "'"; // migration ids are checked names: no quote can occur
        StringBuilder q = new StringBuilder();
        if (phase != LifecyclePhase.PLANNED && phase != LifecyclePhase.CONTRACTED) {
            q.append("-- rows the new column still lacks\n")
                    .append("SELECT COUNT(*) FROM ").append(m.table()).append(" WHERE ").append(m.newColumn())
                    .append(" IS NULL AND ").append(m.legacyColumn()).append(" IS NOT NULL;\n")
                    .append("-- rows whose new value differs from the transform of the legacy one (first 20)\n")
                    .append("SELECT ").append(m.keyColumn()).append(", ").append(m.legacyColumn()).append(", ")
                    .append(m.newColumn()).append(" FROM ").append(m.table()).append(" WHERE ").append(m.newColumn())
                    .append(" <> (").append(m.transformSql().orElse(m.legacyColumn())).append(") ORDER BY ")
                    .append(m.keyColumn()).append(" LIMIT 20;\n");
        }
        q.append("-- the lifecycle's row and the backfill's checkpoint\n")
                .append("SELECT * FROM ").append(MigrationLifecycles.DEFAULT_TABLE).append(" WHERE migration_id = ")
                .append(id).append(";\n")
                .append("SELECT * FROM ").append(BackfillSettings.ofDefaults().checkpointTable()).append(" WHERE migration_id = ")
                .append(id).append(";\n")
                .append("-- rows the backfill could not migrate\n")
                .append("SELECT * FROM ").append(tools.badRows().tableName()).append(" WHERE migration_id = ")
                .append(id).append(";");
        return q.toString();
    }

    private static <T> List<T> latest(List<T> all) {
        return all.subList(Math.max(0, all.size() - HISTORY_SHOWN), all.size());
    }

    /** A Markdown table cell: no line breaks, pipes escaped. */
    private static String cell(String text) {
        return text == null ? "" : FlagwayCli.oneLine(text).replace("|", "\\|");
    }
}
