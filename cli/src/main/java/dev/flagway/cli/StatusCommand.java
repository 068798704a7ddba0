package dev.flagway.cli;

import dev.flagway.Migration;
import dev.flagway.schema.DdlSettings;
import dev.flagway.verify.VerificationLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flagway status [MIGRATION]}: where one migration, or every configured one, stands; a compact
 * table for people, {@code --format json} for machines. A migration declared for the lifecycle
 * ({@code new-column-type}) shows the lifecycle's {@link dev.flagway.lifecycle.MigrationStatus} (its
 * {@code toJson()} as JSON); one that is not shows the records the cli reads itself ({@link MigrationStatus}).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Where a migration stands: lifecycle phase and legal moves (declared migrations), flag stage,"
                + " backfill checkpoint, verifications, pending repairs, bad rows and the contract gate."
                + " Without MIGRATION, every configured migration.")
final class StatusCommand extends DatabaseCommand {
    @Parameters(arity = "0..1", paramLabel = "MIGRATION", description = "The migration id; default: all of them.")
    String migration;

    @Option(names = "--business-cycle", paramLabel = "DURATION",
            description = "The gate's business cycle; default: the migration's contract.business-cycle (7d)."
                    + " A declared migration takes it from the --config file only.")
    Duration businessCycle;

    @Mixin
    Format format;

    /** One migration's status however it was read: as a table row, as lines, as JSON. */
    private record View(List<String> row, List<String> lines, Object json) {
    }

    @Override
    int run(Database db) {
        List<Migration> migrations = migration != null ? List.of(db.migration(migration))
                : List.copyOf(db.settings().migrations().values());
        if (migrations.isEmpty()) {
            throw CliException.usage("the configuration defines no migration (flagway.migrations.<id>.* keys in the"
                    + " --config file)");
        }
        List<View> views = new ArrayList<>();
        for (Migration m : migrations) {
            try (MigrationTools tools = new MigrationTools(db, m)) {
                views.add(tools.declared() ? lifecycleView(m, GateCommand.lifecycle(tools, businessCycle,
                        DdlSettings.ofDefaults()).status())
                        : recordsView(MigrationStatus.read(db, tools, businessCycle == null ? m.businessCycle()
                                : businessCycle)));
            }
        }
        if (format.json()) {
            if (migration != null) {
                out().println(Json.render(views.get(0).json()));
            } else {
                Map<String, Object> all = Json.object();
                all.put("migrations", views.stream().map(View::json).toList());
                out().println(Json.render(all));
            }
        } else if (migration != null) {
            views.get(0).lines().forEach(out()::println);
        } else {
            out().print(Format.table(List.of("MIGRATION", "PHASE", "FLAG", "BACKFILL", "VERIFIED", "REPAIRS", "BAD ROWS",
                    "GATE"), views.stream().map(View::row).toList()));
        }
        return ExitCode.OK;
    }

    private static View recordsView(MigrationStatus s) {
        return new View(List.of(s.migration().id(), "not declared", s.stageText(), s.backfillText(),
                s.verificationText(), s.repairsText(), Long.toString(s.unresolvedBadRows()), s.gateText(false)),
                s.lines(), s.json());
    }

    private static View lifecycleView(Migration m, dev.flagway.lifecycle.MigrationStatus s) {
        String flag = s.flag() == null ? "none yet" : s.flag().describe();
        String backfill = s.backfill() == null ? "never ran" : s.backfill().state().name().toLowerCase(Locale.ROOT) + " "
                + s.backfill().rowsDone() + " rows";
        String verified = s.verifications().isEmpty() ? "never"
                : (last(s).passed() ? "passed " : "failed ") + last(s).verifiedAt();
        String gate = s.gate().allowed() ? "open" : s.gate().unmet().size() + " unmet";
        List<String> row = List.of(m.id(), s.state().describe(), flag, backfill, verified,
                Long.toString(s.pendingRepairs()), Long.toString(s.unresolvedBadRows()), gate);
        List<String> lines = new ArrayList<>();
        lines.add("migration     " + m.id() + " (" + m.table() + "." + m.legacyColumn() + " -> " + m.newColumn()
                + ", key " + m.keyColumn() + ")");
        lines.add("phase         " + s.state().describe() + " (version " + s.state().version()
                + (s.state().updatedBy() == null ? "" : ", by " + s.state().updatedBy() + " at " + s.state().updatedAt())
                + ")");
        lines.add("flag          " + m.flagKey() + ": " + flag);
        lines.add("backfill      " + backfill + (s.backfill() == null ? "" : ", " + s.backfill().rowsUpdated()
                + " written, last key " + s.backfill().lastKey()));
        lines.add("progress      " + s.backfillProgress().describe());
        lines.add("lock blockers " + (!s.lockBlockers().readable() ? "unreadable: " + s.lockBlockers().problem()
                : s.lockBlockers().sessions().isEmpty() ? "none" : s.lockBlockers().sessions().stream()
                        .map(b -> b.id() + " (" + b.state() + ")").collect(java.util.stream.Collectors.joining(", "))));
        if (s.verifications().isEmpty()) {
            lines.add("verification  never");
        }
        s.verifications().forEach(v -> lines.add("verification  " + v.summary() + " at " + v.verifiedAt()
                + (v.stage() == null ? "" : " (" + v.stage().flagValue() + ")")));
        lines.add("repairs       " + s.pendingRepairs() + " pending");
        lines.add("bad rows      " + s.unresolvedBadRows() + " unresolved");
        lines.add("gate          " + (s.gate().allowed() ? "contract may run" : gate + ": " + String.join("; ",
                s.gate().unmet())));
        lines.add("next moves    " + LifecycleOutput.moves(s.legalMoves()));
        return new View(row, lines, new Json.Raw(s.toJson()));
    }

    private static VerificationLog.Entry last(dev.flagway.lifecycle.MigrationStatus s) {
        return s.verifications().get(s.verifications().size() - 1);
    }

}
