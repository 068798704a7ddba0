package dev.flagway.examples;

import dev.flagway.openfeature.FlagwayTables;
import dev.flagway.verify.VerificationLog;
import java.util.List;

/**
 * The tables of one demo run: the application's table and Flagway's bookkeeping beside it, all named
 * after the application's table ({@code users} → {@code flagway_users_flags}, ...), so that runs on
 * one database with different {@code --table} names never meet.
 */
record DemoTables(String users) {

    /** The provider's flag and audit tables. */
    FlagwayTables flags() {
        return FlagwayTables.withPrefix(prefix());
    }

    /** Rows whose new-column write failed, waiting for repair. */
    String repairs() {
        return prefix() + "repair";
    }

    /** Rows the backfill could not migrate. */
    String badRows() {
        return prefix() + "bad_rows";
    }

    /** The backfill's checkpoints. */
    String checkpoints() {
        return prefix() + "backfill";
    }

    /** The verification reports. */
    String verifications() {
        return prefix() + "verification";
    }

    /** Fallbacks per minute, for the contract gate. */
    String fallbacks() {
        return prefix() + "fallbacks";
    }

    /** The schema changes made. */
    String schemaAudit() {
        return prefix() + "schema_audit";
    }

    /** The lifecycle's persisted phase. */
    String lifecycle() {
        return prefix() + "lifecycle";
    }

    /** Every table, the application's first. */
    List<String> all() {
        return List.of(users, flags().flagsTable(), flags().auditTable(), repairs(), badRows(), checkpoints(),
                verifications(), VerificationLog.historyTable(verifications()), fallbacks(), schemaAudit(),
                lifecycle());
    }

    private String prefix() {
        return "flagway_" + users + "_";
    }
}
