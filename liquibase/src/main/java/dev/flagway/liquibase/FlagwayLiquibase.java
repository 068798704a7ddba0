package dev.flagway.liquibase;

import dev.flagway.contract.ContractGate;
import dev.flagway.internal.Checks;
import dev.flagway.internal.Identifiers;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract gates the {@code flagwayContract} change consults. Liquibase makes its changes from
 * the changelog, not from the application, so the application registers each migration's
 * {@link ContractGate} here before it runs {@code update}:
 *
 * <pre>{@code
 * FlagwayLiquibase.registerContractGate("users-email", gate);
 * }</pre>
 *
 * Thread-safe.
 */
public final class FlagwayLiquibase {
    private static final Map<String, ContractGate> GATES = new ConcurrentHashMap<>();

    private FlagwayLiquibase() {
    }

    /** Registers (or replaces) the gate of {@code migrationId}. */
    public static void registerContractGate(String migrationId, ContractGate gate) {
        GATES.put(Identifiers.requireMigrationId(migrationId), Checks.notNull("contract gate", gate));
    }

    /** Removes the gate of {@code migrationId}, if any. */
    public static void unregisterContractGate(String migrationId) {
        GATES.remove(migrationId);
    }

    /** The gate registered for {@code migrationId}. */
    public static Optional<ContractGate> contractGate(String migrationId) {
        return Optional.ofNullable(GATES.get(migrationId));
    }
}
