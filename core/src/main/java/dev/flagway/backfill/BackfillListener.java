package dev.flagway.backfill;

/** Receives backfill progress on the backfill's thread; keep it quick. */
@FunctionalInterface
public interface BackfillListener {
    /** Called after every batch and every state change. */
    void onProgress(BackfillProgress progress);
}
