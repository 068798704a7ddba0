package dev.flagway.lifecycle;

import dev.flagway.internal.Durations;
import java.time.Duration;
import java.util.Locale;

/**
 * How far a migration's backfill is and when it should end, for the status: rows walked and written
 * against the table's estimated size, the rate, the ETA and the throttle state.
 *
 * @param rowsDone keys walked so far, across runs (0 when it never ran)
 * @param rowsUpdated rows written so far, across runs
 * @param estimatedTotal the server's estimate of the table's rows (statistics, not a count), 0 when unknown
 * @param rowsPerSecond the walking rate, or {@link Double#NaN} when unknown (not running, or running
 *     elsewhere with no move to time it from)
 * @param eta the estimated time left, {@link Duration#ZERO} when completed, null when unknown
 * @param throttle why the backfill is slowed or paused now, or null (also when it runs elsewhere)
 * @param source where the rate comes from: {@link #LIVE} (this instance runs it), {@link #CHECKPOINT}
 *     (another instance runs it: the average since the backfill move, earlier runs' rows included, so
 *     an approximation) or {@link #NONE}
 */
public record BackfillEstimate(long rowsDone, long rowsUpdated, long estimatedTotal, double rowsPerSecond,
                               Duration eta, String throttle, String source) {
    /** The rate and ETA come from the backfill running in this instance. */
    public static final String LIVE = "live";
    /** The rate is averaged from the lifecycle's backfill move to the checkpoint's last write. */
    public static final String CHECKPOINT = "checkpoint";
    /** No rate: the backfill is not running. */
    public static final String NONE = "none";

    /** The share walked of the estimated total, 0 to 100, or NaN when the total is unknown. */
    public double percent() {
        return estimatedTotal > 0 ? Math.min(100.0, 100.0 * rowsDone / estimatedTotal) : Double.NaN;
    }

    /** In words, e.g. {@code 1200/~5000 rows walked (24%), 1200 written, 850 rows/s, ETA 4s}. */
    public String describe() {
        StringBuilder s = new StringBuilder().append(rowsDone);
        if (estimatedTotal > 0) {
            s.append("/~").append(estimatedTotal).append(" rows walked (").append(Math.round(percent())).append("%)");
        } else {
            s.append(" rows walked");
        }
        s.append(", ").append(rowsUpdated).append(" written");
        if (!Double.isNaN(rowsPerSecond)) {
            s.append(", ").append(String.format(Locale.ROOT, "%.0f", rowsPerSecond)).append(" rows/s");
        }
        if (eta != null) {
            s.append(", ETA ").append(Durations.format(eta.withNanos(0)));
        }
        if (throttle != null) {
            s.append(", throttled: ").append(throttle);
        }
        return s.toString();
    }
}
