package dev.flagway.flyway;

/** What {@link FlagwayCallback} does with the lint findings of pending SQL migrations before {@code migrate}. */
public enum LintMode {
    /** Refuses to migrate while a pending SQL migration has a finding no {@code -- flagway:allow} comment waives. */
    FAIL,
    /** Logs every finding at WARN and migrates. */
    WARN,
    /** Does not lint. */
    OFF
}
