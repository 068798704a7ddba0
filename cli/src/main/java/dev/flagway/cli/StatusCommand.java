package dev.flagway.cli;

import dev.flagway.Migration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flagway status [MIGRATION]}: where one migration, or every configured one, stands (see
 * {@link MigrationStatus}); a compact table for people, {@code --format json} for machines.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Where a migration stands: flag stage, backfill checkpoint, last verification,"
                + " pending repairs, bad rows and the contract gate. Without MIGRATION, every configured migration.")
final class StatusCommand extends DatabaseCommand {
    @Parameters(arity = "0..1", paramLabel = "MIGRATION", description = "The migration id; default: all of them.")
    String migration;

    @Option(names = "--business-cycle", paramLabel = "DURATION", defaultValue = "7d",
            description = "The gate's business cycle; default: ${DEFAULT-VALUE}.")
    Duration businessCycle;

    @Mixin
    Format format;

    @Override
    int run(Database db) {
        List<Migration> migrations = migration != null ? List.of(db.migration(migration))
                : List.copyOf(db.settings().migrations().values());
        if (migrations.isEmpty()) {
            throw CliException.usage("the configuration defines no migration (flagway.migrations.<id>.* keys in the"
                    + " --config file)");
        }
        List<MigrationStatus> statuses = new ArrayList<>();
        for (Migration m : migrations) {
            try (MigrationTools tools = new MigrationTools(db, m)) {
                statuses.add(MigrationStatus.read(db, tools, businessCycle));
            }
        }
        if (format.json()) {
            if (migration != null) {
                out().println(Json.render(statuses.get(0).json()));
            } else {
                Map<String, Object> all = Json.object();
                all.put("migrations", statuses.stream().map(MigrationStatus::json).toList());
                out().println(Json.render(all));
            }
        } else if (migration != null) {
            statuses.get(0).lines().forEach(out()::println);
        } else {
            List<List<String>> rows = statuses.stream().map(s -> List.of(s.migration().id(), s.stageText(),
                    s.backfillText(), s.verificationText(), s.repairsText(), Long.toString(s.unresolvedBadRows()),
                    s.gateText(false))).toList();
            out().print(Format.table(List.of("MIGRATION", "FLAG", "BACKFILL", "VERIFIED", "REPAIRS", "BAD ROWS", "GATE"),
                    rows));
        }
        return ExitCode.OK;
    }
}
