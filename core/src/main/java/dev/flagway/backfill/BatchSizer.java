package dev.flagway.backfill;

import java.time.Duration;

/** Steers the batch size toward the target batch duration, at most halving or doubling per batch. */
final class BatchSizer {
    private final long targetNanos;
    private final int min;
    private final int max;
    private int size;

    BatchSizer(BackfillSettings settings) {
        this.targetNanos = settings.targetBatchDuration().toNanos();
        this.min = settings.minBatchSize();
        this.max = settings.maxBatchSize();
        this.size = settings.initialBatchSize();
    }

    int size() {
        return size;
    }

    /** Adapts to a full batch of the current size that took {@code took}. */
    void observe(Duration took) {
        double ratio = (double) targetNanos / Math.max(1, took.toNanos());
        ratio = Math.max(0.5, Math.min(2.0, ratio));
        size = clamp((int) Math.round(size * ratio));
    }

    /** Halves the batch, as a health signal asks. */
    void shrink() {
        size = clamp(size / 2);
    }

    private int clamp(int value) {
        return Math.max(min, Math.min(max, value));
    }
}
