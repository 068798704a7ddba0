package dev.flagway.contract;

import java.util.List;

/**
 * The contract gate's answer.
 *
 * @param migrationId the migration
 * @param unmet every condition that is not met, with its figures; empty when contracting is allowed
 * @param met the conditions that are met, with their figures
 */
public record ContractDecision(String migrationId, List<String> unmet, List<String> met) {
    /** Copies the lists. */
    public ContractDecision {
        unmet = List.copyOf(unmet);
        met = List.copyOf(met);
    }

    /** Whether the legacy column may be dropped. */
    public boolean allowed() {
        return unmet.isEmpty();
    }
}
