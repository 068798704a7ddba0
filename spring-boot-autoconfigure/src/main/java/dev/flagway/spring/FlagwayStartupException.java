package dev.flagway.spring;

import dev.flagway.FlagwayException;

/**
 * Flagway cannot start in this Spring application: a {@link FlagwayRepository} whose implementations
 * are missing or ambiguous, an interface Flagway cannot route, an unknown migration id, no migration
 * at all. It says what is wrong, naming the bean, and {@linkplain #action() how to fix it}; Spring
 * Boot prints both when start-up fails.
 */
public final class FlagwayStartupException extends FlagwayException {
    private static final long serialVersionUID = 1L;

    private final String description;
    private final String action;

    /**
     * An exception with what is wrong and how to fix it.
     *
     * @param description what is wrong, naming the bean or setting concerned
     * @param action what to change
     * @param cause the underlying error, or null
     */
    public FlagwayStartupException(String description, String action, Throwable cause) {
        super(description + " " + action, cause);
        this.description = description;
        this.action = action;
    }

    /** What is wrong, naming the bean or setting concerned. */
    public String description() {
        return description;
    }

    /** What to change. */
    public String action() {
        return action;
    }
}
