package dev.flagway.bench.jmh;

/**
 * An array-backed repository: no boxing, no hashing, no allocation, so that every byte and
 * nanosecond a benchmark sees beyond a direct call of it is the router's.
 */
public final class InMemoryEmailRepository implements EmailRepository {
    private final String[] emails;
    private final int mask;

    /** {@code size} rows (a power of two), each holding {@code prefix + id}. */
    public InMemoryEmailRepository(int size, String prefix) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two: " + size);
        }
        this.emails = new String[size];
        this.mask = size - 1;
        for (int i = 0; i < size; i++) {
            emails[i] = prefix + i + "@example.com";
        }
    }

    @Override
    public String email(long id) {
        return emails[(int) id & mask];
    }

    @Override
    public void updateEmail(long id, String email) {
        emails[(int) id & mask] = email;
    }
}
