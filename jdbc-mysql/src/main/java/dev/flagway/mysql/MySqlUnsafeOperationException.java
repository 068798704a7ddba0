package dev.flagway.mysql;

import dev.flagway.FlagwayException;
import dev.flagway.schema.SchemaOperation;

/**
 * Thrown while planning, before anything runs, when a schema request is unsafe on this server; the
 * message names the operation, the facts found, the risk and the safe alternative.
 */
public final class MySqlUnsafeOperationException extends FlagwayException {
    private static final long serialVersionUID = 1L;

    private final MySqlRisk risk;

    /**
     * An exception for {@code operation}.
     *
     * @param detail the facts behind the refusal, e.g. {@code the table uses the MyISAM engine}
     */
    public MySqlUnsafeOperationException(SchemaOperation operation, MySqlRisk risk, String detail) {
        super("refused " + operation.describe() + ": " + detail + "; " + risk.risk() + "; instead, "
                + risk.alternative() + " [" + risk.name() + "]");
        this.risk = risk;
    }

    /** Why it was refused. */
    public MySqlRisk risk() {
        return risk;
    }
}
