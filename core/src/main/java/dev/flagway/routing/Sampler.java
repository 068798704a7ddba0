package dev.flagway.routing;

import java.util.concurrent.ThreadLocalRandom;

/** Decides which reads are shadow-compared: at random, or by targeting key so the same keys always are. */
final class Sampler {
    private static final double BUCKETS = 1 << 24;

    private Sampler() {
    }

    /** Whether a read of {@code targetingKey} is sampled at {@code rate}. */
    public static boolean sampled(String targetingKey, double rate, boolean deterministic) {
        if (rate >= 1.0) {
            return true;
        }
        if (rate <= 0.0) {
            return false;
        }
        if (deterministic && targetingKey != null) {
            return (mix(targetingKey.hashCode()) & 0xFFFFFF) < rate * BUCKETS;
        }
        return ThreadLocalRandom.current().nextDouble() < rate;
    }

    /** MurmurHash3's finalizer: spreads String.hashCode's clustered bits evenly. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
