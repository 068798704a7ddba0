package dev.flagway.bench.jmh;

/**
 * An array-backed repository: no boxing, no hashing, no allocation, so that every byte and
 * nanosecond a benchmark sees beyond a direct call of it is the router's.
 */
public final class InMemoryEmailRepository implements EmailRepository {
    private final String[] emails;
    private final int mask;

    /**
     * {@code size} rows (a power of two), each holding {@code User.<id>@Example.com}, lower-cased when
     * {@code normalized} (the new column's form).
     */
    public InMemoryEmailRepository(int size, boolean normalized) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two: " + size);
        }
        this.emails = new String[size];
        this.mask = size - 1;
        for (int i = 0; i < size; i++) {
            String email = "User." + i + "@Example.com";
            emails[i] = normalized ? email.toLowerCase(java.util.Locale.ROOT) : email;
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
