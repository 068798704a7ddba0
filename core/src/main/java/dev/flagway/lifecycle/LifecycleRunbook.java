package dev.flagway.lifecycle;

import dev.flagway.Migration;
import dev.flagway.contract.ContractDecision;
import dev.flagway.dialect.DiagnosticQuery;
import dev.flagway.schema.SessionInfo;
import dev.flagway.internal.Durations;
import dev.flagway.schema.AuditEvent;
import dev.flagway.verify.VerificationLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Markdown runbook of one migration, generated from its live state: where it stands, the exact
 * flag states with the flag's audit trail, the lifecycle's audit trail, the DDL applied (with the
 * lifecycle version and time of each step) and the DDL still to come, the rollback for the current
 * phase, the commands of the legal next moves, the evidence the contract gate judges, and the
 * diagnostic queries of the server for the migrated table. Every command is given for the
 * {@code flagway} command line and as the lifecycle call.
 */
final class LifecycleRunbook {
    /** The latest entries of each history shown. */
    static final int HISTORY_SHOWN = 20;
    /** The lifecycle moves that change the schema. */
    private static final Set<String> DDL_MOVES = Set.of("lifecycle " + LifecycleMove.EXPAND.value(),
            "lifecycle " + LifecycleMove.UNDO_EXPAND.value(), "lifecycle " + LifecycleMove.CONTRACT.value(),
            "lifecycle " + LifecycleMove.ENFORCE_NOT_NULL.value());

    private final MigrationLifecycles owner;
    private final MigrationLifecycle lifecycle;
    private final Migration m;
    private final StringBuilder out = new StringBuilder(8192);

    LifecycleRunbook(MigrationLifecycles owner, MigrationLifecycle lifecycle) {
        this.owner = owner;
        this.lifecycle = lifecycle;
        this.m = lifecycle.migration();
    }

    String markdown() {
        MigrationStatus s = lifecycle.status();
        LifecyclePhase phase = s.state().phase();
        List<AuditEvent> events = owner.audit.events(m.id());
        line("# Runbook: " + m.id());
        line("");
        line("`" + m.table() + "." + m.legacyColumn() + "` -> `" + m.newColumn() + "` (key `" + m.keyColumn() + "`"
                + m.transformSql().map(t -> ", transform `" + t + "`").orElse("") + ") on " + owner.dialect.name()
                + ", read at " + s.readAt() + ".");
        line("");
        state(s);
        line("## Rollback from " + phase.value());
        line("");
        line(rollback(phase));
        line("");
        line("## Next moves");
        line("");
        if (s.legalMoves().isEmpty()) {
            line("None: the migration is over.");
        }
        s.legalMoves().forEach(move -> line("- " + move.value() + ": " + command(move)));
        line("");
        evidence(s);
        flagTrail();
        line("## Lifecycle audit trail (latest " + HISTORY_SHOWN + ")");
        line("");
        line("| when | action | actor | detail |");
        line("|---|---|---|---|");
        latest(events).forEach(e -> line("| " + e.at() + " | " + e.action() + " | " + cell(e.actor()) + " | "
                + cell(e.detail()) + " |"));
        line("");
        ddl(events);
        queries(phase);
        return out.toString();
    }

    private void state(MigrationStatus s) {
        line("## State");
        line("");
        line("- phase: **" + s.state().describe() + "** (lifecycle version " + s.state().version()
                + (s.state().updatedBy() == null ? "" : ", by " + s.state().updatedBy() + " at " + s.state().updatedAt()
                        + ", last move: " + s.state().lastMove()) + ")");
        line("- flag `" + m.flagKey() + "`: " + (s.flag() == null ? "none yet" : "**" + s.flag().describe() + "**"));
        BackfillEstimate b = s.backfillProgress();
        line("- backfill: " + (s.backfill() == null ? "never ran" : s.backfill().state() + ", " + b.describe()
                + ", last key " + s.backfill().lastKey()));
        line("- pending repairs: " + s.pendingRepairs() + "; unresolved bad rows: " + s.unresolvedBadRows());
        LockBlockers locks = s.lockBlockers();
        if (!locks.readable()) {
            line("- lock blockers on `" + m.table() + "`: not readable (" + locks.problem() + ")");
        } else if (locks.sessions().isEmpty()) {
            line("- lock blockers on `" + m.table() + "`: none now");
        } else {
            line("- lock blockers on `" + m.table() + "`:");
            for (SessionInfo session : locks.sessions()) {
                line("  - session " + session.id() + " (" + session.state() + ", " + (session.lockWait() != null
                        ? "waiting " + Durations.format(session.lockWait()) : "holding " + session.lockMode())
                        + (session.transactionAge() == null ? "" : ", transaction age "
                        + Durations.format(session.transactionAge())) + "): `" + cell(session.query()) + "`");
            }
        }
        line("");
    }

    private void evidence(MigrationStatus s) {
        ContractDecision gate = s.gate();
        line("## Evidence the contract gate judges");
        line("");
        line("Decision now: " + (gate.allowed() ? "**open**" : "**refused**") + " (business cycle "
                + Durations.format(m.businessCycle()) + ").");
        line("");
        gate.unmet().forEach(u -> line("- unmet: " + u));
        gate.met().forEach(u -> line("- met: " + u));
        line("- flag serving modern reads to every key since: " + owner.flags.fullyModernSince(m.flagKey())
                .map(Object::toString).orElse("not now"));
        line("");
        line("Verifications (latest " + MigrationStatus.VERIFICATIONS_SHOWN + "; the gate uses the last one taken "
                + "while legacy was written):");
        line("");
        if (s.verifications().isEmpty()) {
            line("- never verified");
        }
        for (VerificationLog.Entry v : s.verifications()) {
            line("- " + v.verifiedAt() + (v.stage() == null ? "" : " at " + v.stage().flagValue()) + ": "
                    + (v.passed() ? "passed" : "FAILED") + ", " + v.summary());
        }
        line("");
    }

    private void flagTrail() {
        List<FlagChange> changes = latest(owner.flags.changes(m.flagKey()));
        line("## Flag states and audit trail (latest " + HISTORY_SHOWN + ")");
        line("");
        if (changes.isEmpty()) {
            line("No recorded change (the flag does not exist yet, or its store keeps no history).");
        } else {
            line("| when | version | action | now serving | actor | reason |");
            line("|---|---|---|---|---|---|");
            changes.forEach(c -> line("| " + c.at() + " | " + c.version() + " | " + c.action() + " | " + c.position()
                    + " | " + cell(c.actor()) + " | " + cell(c.reason()) + " |"));
        }
        line("");
    }

    private void ddl(List<AuditEvent> events) {
        line("## DDL applied");
        line("");
        List<AuditEvent> applied = events.stream().filter(e -> DDL_MOVES.contains(e.action())).toList();
        if (applied.isEmpty()) {
            line("None yet.");
        } else {
            line("| when | step | actor | detail (with the lifecycle version it reached) |");
            line("|---|---|---|---|");
            applied.forEach(e -> line("| " + e.at() + " | " + e.action().substring("lifecycle ".length()) + " | "
                    + cell(e.actor()) + " | " + cell(e.detail()) + " |"));
        }
        line("");
        line("Each step's statements (the plan for this server):");
        line("");
        line("```sql");
        line(lifecycle.script().strip());
        line("```");
        line("");
    }

    private void queries(LifecyclePhase phase) {
        line("## Diagnostic queries (" + owner.dialect.name() + ", table `" + m.table() + "`)");
        line("");
        line("```sql");
        for (DiagnosticQuery q : owner.dialect.diagnosticQueries(m.tableName())) {
            line("-- " + q.purpose());
            line(q.sql() + ";");
        }
        String id = DiagnosticQuery.literal(m.id());
        if (phase != LifecyclePhase.PLANNED && phase != LifecyclePhase.CONTRACTED) {
            line("-- rows the new column still lacks");
            line("SELECT COUNT(*) FROM " + m.table() + " WHERE " + m.newColumn() + " IS NULL AND " + m.legacyColumn()
                    + " IS NOT NULL;");
            line("-- rows whose new value differs from the transform of the legacy one (first 20)");
            line("SELECT " + m.keyColumn() + ", " + m.legacyColumn() + ", " + m.newColumn() + " FROM " + m.table()
                    + " WHERE " + m.newColumn() + " <> (" + m.transformSql().orElse(m.legacyColumn()) + ") ORDER BY "
                    + m.keyColumn() + " LIMIT 20;");
        }
        line("-- the lifecycle's row, the backfill's checkpoint, the rows it could not migrate, the writes pending repair");
        line("SELECT * FROM " + owner.store.tableName() + " WHERE migration_id = " + id + ";");
        line("SELECT * FROM " + owner.backfillSettings.checkpointTable() + " WHERE migration_id = " + id + ";");
        line("SELECT * FROM " + owner.backfillSettings.badRowTable() + " WHERE migration_id = " + id + ";");
        line("SELECT * FROM " + owner.backfillSettings.repairTable() + " WHERE migration_id = " + id + ";");
        line("```");
        line("");
        line("Who blocks whom now: `flagway locks --table " + m.table() + "`; end one blocker: `flagway kill ID --actor "
                + "NAME --reason TEXT`.");
    }

    /** The rollback of {@code phase}, as a command and a call. */
    private String rollback(LifecyclePhase phase) {
        return switch (phase) {
            case PLANNED -> "Nothing to roll back: nothing is expanded.";
            case EXPANDED, DUAL_WRITE -> "Undo the expand (flag off, expand steps reversed, checkpoint reset): "
                    + command(LifecycleMove.UNDO_EXPAND);
            case SHADOW, LIVE, RAMP_DOWN -> "Back to dual_write (legacy reads for every key, rollout cleared, flag "
                    + "enabled again): " + command(LifecycleMove.ROLLBACK_TO_DUAL_WRITE) + "; then, if the change is "
                    + "abandoned: " + command(LifecycleMove.UNDO_EXPAND);
            case COMPLETE -> "None: complete is one-way (legacy is no longer written and Flagway does no reverse "
                    + "backfill). Forward only: the contract once the gate allows it.";
            case CONTRACTED -> "None: the legacy column is dropped.";
        };
    }

    /** A move as a {@code flagway} command and as the lifecycle call. */
    static String command(LifecycleMove move, String id) {
        String who = " --actor NAME --reason TEXT";
        String cli = "flagway " + switch (move) {
            case EXPAND -> "expand " + id + " --execute" + who;
            case START_DUAL_WRITE -> "stage " + id + " dual_write" + who;
            case BACKFILL -> "backfill " + id + " --execute" + who;
            case VERIFY -> "verify " + id + who;
            case SHADOW -> "stage " + id + " shadow" + who;
            case LIVE -> "stage " + id + " live --percent N" + who;
            case RAMP_DOWN -> "stage " + id + " ramp_down" + who;
            case COMPLETE -> "stage " + id + " complete" + who;
            case ENFORCE_NOT_NULL -> "expand " + id + " --not-null --execute" + who;
            case CONTRACT -> "contract " + id + " --execute" + who;
            case ROLLBACK_TO_DUAL_WRITE -> "rollback " + id + who;
            case UNDO_EXPAND -> "rollback " + id + " --undo-expand" + who;
            case START_ROLLOUT -> "rollout start " + id + who;
            case PAUSE_ROLLOUT -> "rollout pause " + id + who;
            case RESUME_ROLLOUT -> "rollout resume " + id + who;
            case CAP_ROLLOUT -> "rollout cap " + id + " N" + who;
        };
        String call = switch (move) {
            case LIVE -> "live(percent, actor, reason)";
            case CAP_ROLLOUT -> "capRollout(percent, actor, reason)";
            default -> camel(move.value()) + "(actor, reason)";
        };
        return "`" + cli + "` (in code: `lifecycle." + call + "`)";
    }

    private String command(LifecycleMove move) {
        return command(move, m.id());
    }

    private static String camel(String dashed) {
        StringBuilder s = new StringBuilder();
        boolean upper = false;
        for (char c : dashed.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                s.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return s.toString();
    }

    private static <T> List<T> latest(List<T> all) {
        return new ArrayList<>(all.subList(Math.max(0, all.size() - HISTORY_SHOWN), all.size()));
    }

    /** A Markdown table cell: one line, pipes escaped. */
    private static String cell(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").strip().replace("|", "\\|");
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}
