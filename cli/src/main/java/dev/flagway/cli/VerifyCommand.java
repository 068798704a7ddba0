package dev.flagway.cli;

import dev.flagway.Migration;
import dev.flagway.verify.VerificationReport;
import dev.flagway.verify.Verifier;
import dev.flagway.verify.VerifySettings;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flagway verify MIGRATION}: the library's {@link Verifier} over the whole table, recorded in
 * the verification log for the contract gate. Exit 4 when a row disagrees, with the keys of some.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every row's new column against its legacy one, recorded for the gate.",
                "Prints counts and sample keys. Exit 4 when rows mismatch, are missing or cannot convert.",
                "Migrations bound from properties use the identity transform (new = legacy).",
                "A migration declared with new-column-type is verified through its lifecycle, with its transform-sql",
                "and the lifecycle's chunking (--chunk-size, --sample, --statement-timeout apply to the others;",
                "--parallelism to both, below the migration's own verify.parallelism)."})
final class VerifyCommand extends DatabaseCommand {
    @Parameters(paramLabel = "MIGRATION", description = "The migration id of the configuration.")
    String migration;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "1000",
            description = "Keys per chunk query; default: ${DEFAULT-VALUE}.")
    int chunkSize;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "10",
            description = "How many keys of each kind of failure to list; default: ${DEFAULT-VALUE}.")
    int sample;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2",
            description = "Chunks checked at once, each on its own connection; 1 keeps a second database process "
                    + "away from the application's requests, at about half the speed; default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--statement-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "The longest one chunk query may run; default: ${DEFAULT-VALUE}.")
    Duration statementTimeout;

    @Mixin
    AuditOptions audit;

    @Mixin
    Format format;

    @Override
    int run(Database db) {
        Migration m = db.migration(migration);
        VerificationReport report;
        try (MigrationTools tools = new MigrationTools(db, m)) {
            if (tools.declared()) {
                // through the lifecycle: its transform (transform-sql), kept with the stage it ran in, audited
                report = tools.lifecycle(VerifySettings.custom().parallelism(parallelism).build())
                        .verify(audit.actor(), audit.reason("verify"));
            } else {
                report = Verifier.builder(m, db.dataSource(), db.dialect())
                        .chunkSize(chunkSize)
                        .parallelism(parallelism)
                        .sampleSize(sample)
                        .statementTimeout(statementTimeout)
                        .transform(Identity.TRANSFORM)
                        .log(tools.verifications())
                        .build().verify();
            }
        }
        if (format.json()) {
            out().println(Json.render(json(report)));
        } else {
            out().println("verify " + report.migrationId() + ": " + report.summary());
        }
        return report.passed() ? ExitCode.OK : ExitCode.VERIFY_MISMATCH;
    }

    static Map<String, Object> json(VerificationReport r) {
        Map<String, Object> out = Json.object();
        out.put("migration", r.migrationId());
        out.put("passed", r.passed());
        out.put("finishedAt", r.finishedAt());
        out.put("elapsedMillis", r.elapsed());
        out.put("totalRows", r.totalRows());
        out.put("rowsWithNewValue", r.rowsWithNewValue());
        out.put("matchingRows", r.matchingRows());
        out.put("mismatchedRows", r.mismatchedRows());
        out.put("missingRows", r.missingRows());
        out.put("badRows", r.badRows());
        out.put("sampleMismatchedKeys", r.sampleMismatchedKeys());
        out.put("sampleMissingKeys", r.sampleMissingKeys());
        out.put("sampleBadKeys", r.sampleBadKeys());
        return out;
    }
}
