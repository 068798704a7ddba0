package dev.flagway.contract;

import dev.flagway.FlagwayException;

/** Dropping the legacy column was refused; the message lists every unmet condition. */
public final class ContractRefusedException extends FlagwayException {
    private static final long serialVersionUID = 1L;

    private final transient ContractDecision decision;

    /** An exception for a refusing decision. */
    public ContractRefusedException(ContractDecision decision) {
        super("contract of migration '" + decision.migrationId() + "' refused:\n  - "
                + String.join("\n  - ", decision.unmet()));
        this.decision = decision;
    }

    /** The decision, with every unmet condition. */
    public ContractDecision decision() {
        return decision;
    }
}
