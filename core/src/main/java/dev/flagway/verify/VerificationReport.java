package dev.flagway.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a verification found.
 *
 * @param migrationId the migration
 * @param finishedAt when it finished
 * @param elapsed how long it ran
 * @param totalRows rows checked
 * @param rowsWithNewValue rows whose new column is not NULL
 * @param matchingRows rows whose new value equals transform(legacy)
 * @param mismatchedRows rows whose new value is set but differs from transform(legacy)
 * @param missingRows rows whose new value is NULL although transform(legacy) is not
 * @param badRows rows whose legacy value the (Java) transform throws on: they cannot be migrated
 *     as they are (the backfill's bad rows, until their legacy value is fixed)
 * @param sampleMismatchedKeys keys of some mismatched rows (as text), at most the configured sample size
 * @param sampleMissingKeys keys of some missing rows (as text), at most the configured sample size
 * @param sampleBadKeys keys of some bad rows (as text), at most the configured sample size
 */
public record VerificationReport(String migrationId, Instant finishedAt, Duration elapsed, long totalRows,
        long rowsWithNewValue, long matchingRows, long mismatchedRows, long missingRows, long badRows,
        List<String> sampleMismatchedKeys, List<String> sampleMissingKeys, List<String> sampleBadKeys) {

    /** Copies the samples. */
    public VerificationReport {
        sampleMismatchedKeys = List.copyOf(sampleMismatchedKeys);
        sampleMissingKeys = List.copyOf(sampleMissingKeys);
        sampleBadKeys = List.copyOf(sampleBadKeys);
    }

    /**
     * Whether every row's new value equals transform(legacy): no mismatches, no missing values and no
     * row the transform cannot convert.
     */
    public boolean passed() {
        return mismatchedRows == 0 && missingRows == 0 && badRows == 0;
    }

    /** A one-line summary with the figures. */
    public String summary() {
        return (passed() ? "passed" : "failed") + ": " + totalRows + " rows, " + rowsWithNewValue + " with a new value, "
                + matchingRows + " matching, " + mismatchedRows + " mismatched" + sample(sampleMismatchedKeys) + ", "
                + missingRows + " missing (NULL)" + sample(sampleMissingKeys) + ", " + badRows
                + " the transform cannot convert" + sample(sampleBadKeys);
    }

    private static String sample(List<String> keys) {
        return keys.isEmpty() ? "" : " e.g. keys " + keys;
    }
}
