package dev.flagway.lifecycle;

import dev.flagway.Stage;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a migration's lifecycle stands, persisted in the lifecycle table shared by the fleet. Each
 * phase from {@link #EXPANDED} on has the flag stage it serves ({@link #stage()}).
 */
public enum LifecyclePhase {
    /** Declared; the new column is not added yet. */
    PLANNED(Stage.OFF),
    /** The new column exists; the flag is {@code off}. */
    EXPANDED(Stage.OFF),
    /** Writes go to both columns, reads to legacy; the backfill and verification run here. */
    DUAL_WRITE(Stage.DUAL_WRITE),
    /** Reads return legacy and a sample is compared with the modern read. */
    SHADOW(Stage.SHADOW),
    /** A share of the keys (the live percentage) reads modern, legacy on failure. */
    LIVE(Stage.LIVE),
    /** Every key reads modern, legacy still written and used on failure. */
    RAMP_DOWN(Stage.RAMP_DOWN),
    /** Writes and reads modern only. One-way: legacy is no longer written. */
    COMPLETE(Stage.COMPLETE),
    /** The legacy column is dropped: the migration is over. */
    CONTRACTED(Stage.COMPLETE);

    private final Stage stage;

    LifecyclePhase(Stage stage) {
        this.stage = stage;
    }

    /** The stage the migration's flag serves in this phase (to the live share, for {@link #LIVE}). */
    public Stage stage() {
        return stage;
    }

    /** Whether the legacy column is still written (every phase before {@link #COMPLETE}). */
    public boolean writesLegacy() {
        return ordinal() < COMPLETE.ordinal();
    }

    /** The lower-case name, e.g. {@code dual_write}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The phase named {@code value} (as {@link #value()} spells it), or empty. */
    public static Optional<LifecyclePhase> fromValue(String value) {
        for (LifecyclePhase p : values()) {
            if (p.value().equals(value)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
