package dev.flagway.flyway;

import dev.flagway.contract.ContractGate;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A Flyway Java migration that contracts a Flagway migration: drops its legacy column through the
 * {@link ContractGate} registered for {@link #migrationId()} in {@link FlagwayCallback}, and only
 * when the gate allows it. While the gate refuses, {@link FlagwayCallback} stops {@code migrate}
 * before this migration starts, with the gate's reasons, so Flyway records nothing and the next
 * {@code migrate} tries again.
 *
 * <pre>{@code
 * public class V12__users_email_contract extends FlagwayContractMigration {
 *     public String migrationId() {
 *         return "users-email";
 *     }
 * }
 * }</pre>
 */
public abstract class FlagwayContractMigration extends BaseJavaMigration {
    /** Subclasses name the migration in {@link #migrationId()}. */
    protected FlagwayContractMigration() {
    }

    /** The id of the Flagway migration whose legacy column this drops. */
    public abstract String migrationId();

    /** The CRC32 of {@code contract <migration id>}. */
    @Override
    public final Integer getChecksum() {
        CRC32 crc = new CRC32();
        crc.update(("contract " + migrationId()).getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    /** False: the gate's executor runs the drop lock-safely on its own connections. */
    @Override
    public final boolean canExecuteInTransaction() {
        return false;
    }

    /** Drops the legacy column if the gate allows it (checked again here, against a race). */
    @Override
    public final void migrate(Context context) {
        FlagwayCallback flagway = FlagwayCallback.in(context.getConfiguration(), getClass().getName());
        flagway.gateFor(this).contract("flyway migration " + getVersion());
    }
}
