package dev.flagway.cli;

import dev.flagway.Migration;
import dev.flagway.backfill.Checkpoint;
import dev.flagway.contract.ContractDecision;
import dev.flagway.openfeature.FlagDefinition;
import dev.flagway.openfeature.FlagState;
import dev.flagway.verify.VerificationLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where one migration stands, from the records that exist today: the flag (from the database-backed
 * provider), the backfill checkpoint, the last verification, the repair and bad-row counts, and the
 * contract gate's decision. What {@code status} reads for a migration that is not declared for the
 * lifecycle (no {@code new-column-type}), so has no phase; a declared one shows the lifecycle's
 * {@link dev.flagway.lifecycle.MigrationStatus} instead.
 *
 * @param migration the migration as configured
 * @param flag the stored flag, empty when the flag store holds none of that key
 * @param flagError why the flag could not be read (e.g. the provider's tables do not exist), or null
 * @param flagsTable the provider's flag table it was looked up in
 * @param checkpoint the backfill's checkpoint, empty when it never ran
 * @param verification the last verification, empty when never verified
 * @param pendingRepairs keys whose new-column write failed and awaits repair, at most {@link #COUNT_CAP}
 * @param unresolvedBadRows rows the backfill could not migrate and nobody resolved
 * @param gate the contract gate's decision, null when it cannot be evaluated
 * @param gateError why the gate cannot be evaluated (the flag history cannot be read), or null
 */
record MigrationStatus(Migration migration, Optional<FlagState> flag, String flagError, String flagsTable,
        Optional<Checkpoint> checkpoint,
        Optional<VerificationLog.Entry> verification, long pendingRepairs, long unresolvedBadRows, ContractDecision gate,
        String gateError) {

    /** Pending repairs are counted up to this many. */
    static final int COUNT_CAP = 100_000;

    /** Reads the migration's state, changing nothing but creating missing bookkeeping tables as the library does. */
    static MigrationStatus read(Database db, MigrationTools tools, Duration businessCycle) {
        Migration m = tools.migration();
        Optional<FlagState> flag = Optional.empty();
        String flagError = null;
        try {
            flag = tools.flags().find(m.flagKey());
        } catch (RuntimeException e) {
            flagError = "flag store " + tools.flags().tables().flagsTable() + " cannot be read: "
                    + FlagwayCli.oneLine(e.getMessage());
        }
        Optional<Checkpoint> checkpoint = tools.checkpoints().load(m.id());
        Optional<VerificationLog.Entry> verification = tools.verifications().last(m.id());
        long[] counts = db.withConnection("counting the repair and bad-row logs", c -> {
            tools.repairs().createIfMissing(c);
            tools.badRows().createIfMissing(c);
            return new long[] {tools.repairs().pending(c, m.id(), COUNT_CAP).size(),
                    tools.badRows().unresolvedCount(c, m.id())};
        });
        ContractDecision gate = null;
        String gateError = null;
        try {
            gate = tools.gate(businessCycle).evaluate();
        } catch (CliException e) {
            gateError = FlagwayCli.oneLine(e.getMessage());
        }
        return new MigrationStatus(m, flag, flagError, tools.flags().tables().flagsTable(), checkpoint, verification,
                counts[0], counts[1], gate,
                gateError);
    }

    /** The flag's stage as people read it, e.g. {@code live 10% (base shadow)} or {@code disabled}. */
    String stageText() {
        if (flagError != null) {
            return "unknown";
        }
        if (flag.isEmpty()) {
            return "no flag in " + flagsTable;
        }
        return describe(flag.get().definition());
    }

    /** A stored flag's stage as people read it, e.g. {@code live 10% (others shadow)} or {@code dual_write, disabled}. */
    static String describe(FlagDefinition d) {
        String base = d.baseStage().map(s -> s.flagValue()).orElse(d.baseVariant());
        String text = d.hasRollout() && d.rolloutPercentage() > 0
                ? d.rolloutStage().map(s -> s.flagValue()).orElse(d.rolloutVariant()) + " " + percent(d.rolloutPercentage())
                        + " (others " + base + ")"
                : base;
        return d.enabled() ? text : text + ", disabled";
    }

    String backfillText() {
        return checkpoint.map(c -> c.state().name().toLowerCase(java.util.Locale.ROOT) + " " + c.rowsDone() + " rows")
                .orElse("never ran");
    }

    String verificationText() {
        return verification.map(v -> (v.passed() ? "passed " : "failed ") + v.verifiedAt()).orElse("never");
    }

    String repairsText() {
        return pendingRepairs >= COUNT_CAP ? ">=" + COUNT_CAP : Long.toString(pendingRepairs);
    }

    /** The status as one JSON object. */
    Map<String, Object> json() {
        Map<String, Object> out = Json.object();
        out.put("migration", migration.id());
        Map<String, Object> config = Json.object();
        config.put("flag", migration.flagKey());
        config.put("table", migration.table());
        config.put("keyColumn", migration.keyColumn());
        config.put("legacyColumn", migration.legacyColumn());
        config.put("newColumn", migration.newColumn());
        out.put("config", config);
        Map<String, Object> f = Json.object();
        f.put("present", flag.isPresent());
        if (flagError != null) {
            f.put("error", flagError);
        }
        flag.ifPresent(s -> {
            FlagDefinition d = s.definition();
            f.put("stage", d.baseStage().map(st -> st.flagValue()).orElse(d.baseVariant()));
            f.put("enabled", d.enabled());
            f.put("rolloutStage", d.rolloutStage().map(st -> st.flagValue()).orElse(d.rolloutVariant()));
            f.put("rolloutPercentage", d.rolloutPercentage());
            f.put("disabledReason", d.disabledReason());
            f.put("version", s.version());
            f.put("updatedBy", s.updatedBy());
            f.put("updatedAt", s.updatedAt());
        });
        out.put("flag", f);
        out.put("backfill", checkpoint.map(c -> {
            Map<String, Object> b = Json.object();
            b.put("state", c.state().name());
            b.put("lastKey", c.lastKey());
            b.put("rowsDone", c.rowsDone());
            b.put("rowsUpdated", c.rowsUpdated());
            b.put("updatedAt", c.updatedAt());
            b.put("finishedAt", c.finishedAt());
            return b;
        }).orElse(null));
        out.put("verification", verification.map(v -> {
            Map<String, Object> b = Json.object();
            b.put("verifiedAt", v.verifiedAt());
            b.put("passed", v.passed());
            b.put("summary", v.summary());
            return b;
        }).orElse(null));
        out.put("pendingRepairs", pendingRepairs);
        out.put("unresolvedBadRows", unresolvedBadRows);
        if (gate != null) {
            out.put("gate", GateCommand.json(gate));
        } else {
            Map<String, Object> g = Json.object();
            g.put("error", gateError);
            out.put("gate", g);
        }
        return out;
    }

    /** The status as {@code key: value} lines for people. */
    List<String> lines() {
        return List.of(
                "migration     " + migration.id() + " (" + migration.table() + "." + migration.legacyColumn() + " -> "
                        + migration.newColumn() + ", key " + migration.keyColumn() + ")",
                "flag          " + migration.flagKey() + ": " + stageText() + (flagError == null ? "" : " (" + flagError + ")")
                        + flag.map(s -> ", v" + s.version() + " by " + s.updatedBy() + " at " + s.updatedAt()).orElse(""),
                "backfill      " + backfillText() + checkpoint.map(c -> ", " + c.rowsUpdated() + " written, last key "
                        + c.lastKey()).orElse(""),
                "verification  " + verification.map(v -> v.summary() + " at " + v.verifiedAt()).orElse("never"),
                "repairs       " + repairsText() + " pending",
                "bad rows      " + unresolvedBadRows + " unresolved",
                "gate          " + gateText(true));
    }

    /** The gate's decision: {@code open}, {@code N unmet} (with them when {@code detailed}), or {@code unknown}. */
    String gateText(boolean detailed) {
        if (gate == null) {
            return detailed ? "unknown: " + gateError : "unknown";
        }
        if (gate.allowed()) {
            return detailed ? "contract may run" : "open";
        }
        return gate.unmet().size() + " unmet" + (detailed ? ": " + String.join("; ", gate.unmet()) : "");
    }

    private static String percent(double p) {
        return (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)) + "%";
    }
}
