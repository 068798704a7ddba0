package dev.flagway;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a migration stands for one request: which columns are written and which read is returned.
 *
 * <p>Flag stores hold the lower-case {@linkplain #flagValue() flag values} ({@code off},
 * {@code dual_write}, {@code shadow}, {@code live}, {@code ramp_down}, {@code complete}). Until
 * {@link #COMPLETE} the legacy write is the source of truth and a failing modern read never reaches
 * the caller.
 */
public enum Stage {
    /** Writes legacy, reads legacy: the migration has not started for this key. */
    OFF(false, true, false, false),
    /** Writes legacy then modern, reads legacy. The backfill runs in this stage. */
    DUAL_WRITE(true, true, false, false),
    /** Writes both, returns the legacy read and compares a sampled modern read off the caller's thread. */
    SHADOW(true, true, false, true),
    /** Writes both, returns the modern read (the flag decides which keys are live), legacy on failure. */
    LIVE(true, true, true, true),
    /** Writes both, returns the modern read for every key, legacy on failure. */
    RAMP_DOWN(true, true, true, true),
    /** Writes and reads modern only; the legacy column may be contracted. */
    COMPLETE(true, false, true, false);

    private final boolean writesModern;
    private final boolean writesLegacy;
    private final boolean readsModern;
    private final boolean comparesReads;
    private final String flagValue = name().toLowerCase(Locale.ROOT);
    /** LaunchDarkly's spelling of the same stage ({@code dualwrite}, {@code rampdown}). */
    private final String compactFlagValue = flagValue.replace("_", "");
    private final Optional<Stage> asOptional = Optional.of(this);

    Stage(boolean writesModern, boolean writesLegacy, boolean readsModern, boolean comparesReads) {
        this.writesModern = writesModern;
        this.writesLegacy = writesLegacy;
        this.readsModern = readsModern;
        this.comparesReads = comparesReads;
    }

    /** Whether writes go to the legacy column. True for every stage before {@link #COMPLETE}. */
    public boolean writesLegacy() {
        return writesLegacy;
    }

    /** Whether writes go to the new column. */
    public boolean writesModern() {
        return writesModern;
    }

    /** Whether the read returned to the caller comes from the new column. */
    public boolean readsModern() {
        return readsModern;
    }

    /** Whether a failed modern read falls back to the legacy read (every modern-reading stage but COMPLETE). */
    public boolean fallsBackToLegacy() {
        return readsModern && writesLegacy;
    }

    /** Whether reads in this stage may be shadow-compared between the two paths. */
    public boolean comparesReads() {
        return comparesReads;
    }

    /** The lower-case name used as the flag variant value, e.g. {@code dual_write}. */
    public String flagValue() {
        return flagValue;
    }

    /**
     * The stage named by a flag value, ignoring case and surrounding blanks; {@code dual-write} and
     * {@code dualwrite} are accepted for {@code dual_write}, {@code ramp-down} and {@code rampdown}
     * for {@code ramp_down}, so that the stages of LaunchDarkly's migration flags ({@code off},
     * {@code dualwrite}, {@code shadow}, {@code live}, {@code rampdown}, {@code complete}) work
     * unchanged.
     *
     * @return the stage, or empty for null or an unknown value
     */
    public static Optional<Stage> fromFlagValue(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Stage stage : VALUES) {
            if (stage.flagValue.equals(value) || stage.compactFlagValue.equals(value)) {
                return stage.asOptional; // the common case: a flag store's own spelling, no copy made
            }
        }
        String normalized = value.trim().replace('-', '_').toLowerCase(Locale.ROOT);
        for (Stage stage : VALUES) {
            if (stage.flagValue.equals(normalized) || stage.compactFlagValue.equals(normalized)) {
                return stage.asOptional;
            }
        }
        return Optional.empty();
    }

    private static final Stage[] VALUES = values();
}
