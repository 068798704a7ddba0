package dev.flagway.bench.jmh;

import java.util.SplittableRandom;

/** A fixed, seeded set of row ids and their targeting keys that a benchmark thread cycles through. */
public final class Keys {
    /** How many distinct keys a thread cycles through (a power of two). */
    public static final int COUNT = 1024;

    private final long[] ids = new long[COUNT];
    private final String[] keys = new String[COUNT];
    private int next;

    /** Keys drawn from {@code seed}: the same in every run. */
    public Keys(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < COUNT; i++) {
            ids[i] = random.nextLong(1, 10_000_000L);
            keys[i] = Long.toString(ids[i]);
        }
    }

    /** Advances to the next key and returns its position. */
    public int advance() {
        return next = (next + 1) & (COUNT - 1);
    }

    /** The row id at {@code position}. */
    public long id(int position) {
        return ids[position];
    }

    /** The targeting key (the id as text) at {@code position}. */
    public String key(int position) {
        return keys[position];
    }
}
