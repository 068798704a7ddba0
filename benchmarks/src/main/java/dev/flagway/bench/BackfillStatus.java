package dev.flagway.bench;

/** Why item 6 (the backfill of 1,000,000 rows) is not measured by this build. */
final class BackfillStatus {
    private BackfillStatus() {
    }

    static String notMeasuredReason() {
        return "the backfill engine (dev.flagway.backfill) is not on this branch yet; item 6 is measured once it has "
                + "landed on main.";
    }
}
