package dev.flagway.openfeature;

/**
 * Percentage bucketing identical to flagd's {@code fractional} operator, version 2, so that a team
 * moving its flags to flagd keeps every key in the same bucket.
 *
 * <p>The definition:
 * <ol>
 *   <li>{@code hash} = MurmurHash3 x86_32, seed 0, over the UTF-8 bytes of the bucketing value (in
 *       normal use {@code flagKey + targetingKey}, no separator);</li>
 *   <li>{@code bucket = ((hash & 0xFFFFFFFFL) * totalWeight) >>> 32}, i.e. the unsigned hash scaled
 *       into {@code [0, totalWeight)} with integer arithmetic only;</li>
 *   <li>the result is the first index whose cumulative weight exceeds {@code bucket}.</li>
 * </ol>
 * Because the scaling is proportional, weights {@code [10, 90]} and {@code [1000, 9000]} put every
 * key in the same place; and because earlier weights come first, raising the first weight (a ramp
 * from 10% to 50% to 100%) only ever moves keys into the first variant, never out of it.
 */
public final class FractionalBucketing {
    private FractionalBucketing() {
    }

    /**
     * Picks the variant index for a bucketing value.
     *
     * @param bucketingValue the value to hash, normally {@code flagKey + targetingKey}
     * @param weights non-negative integer weights, at least one, with a positive total of at most
     *     {@link Integer#MAX_VALUE} (flagd's limit); a zero weight is never picked
     * @return the index into {@code weights} of the chosen variant
     * @throws IllegalArgumentException when the value is null or the weights are invalid, naming the problem
     */
    public static int pick(String bucketingValue, int[] weights) {
        if (bucketingValue == null) {
            throw new IllegalArgumentException("bucketing value must not be null");
        }
        long total = totalWeight(weights);
        return pickUnchecked(Murmur3.hash32(bucketingValue), weights, total);
    }

    /**
     * The bucket of a bucketing value in {@code [0, totalWeight)}: {@code ((hash & 0xFFFFFFFFL) * totalWeight) >>> 32}.
     *
     * @param bucketingValue the value to hash
     * @param totalWeight the number of buckets, positive
     * @return the bucket
     * @throws IllegalArgumentException when the value is null or the total is not positive
     */
    public static int bucket(String bucketingValue, int totalWeight) {
        if (bucketingValue == null) {
            throw new IllegalArgumentException("bucketing value must not be null");
        }
        if (totalWeight <= 0) {
            throw new IllegalArgumentException("total weight must be positive but was " + totalWeight);
        }
        return (int) (((Murmur3.hash32(bucketingValue) & 0xFFFFFFFFL) * totalWeight) >>> 32);
    }

    /** Validates weights and returns their total. */
    static long totalWeight(int[] weights) {
        if (weights == null || weights.length == 0) {
            throw new IllegalArgumentException("weights must not be empty: give at least one weight");
        }
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] < 0) {
                throw new IllegalArgumentException("weight at index " + i + " is " + weights[i]
                        + "; weights must not be negative");
            }
            total += weights[i];
        }
        if (total == 0) {
            throw new IllegalArgumentException("weights must have a positive total, but all " + weights.length
                    + " are 0");
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("weights total " + total + ", more than the maximum of "
                    + Integer.MAX_VALUE);
        }
        return total;
    }

    /** Picks with an already computed hash and validated total. */
    static int pickUnchecked(int hash, int[] weights, long total) {
        long bucket = ((hash & 0xFFFFFFFFL) * total) >>> 32;
        long cumulative = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i];
            if (bucket < cumulative) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable: bucket " + bucket + " beyond total " + total);
    }
}
