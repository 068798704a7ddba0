package dev.flagway.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The required inputs a builder lacks, collected so that {@link #check()} reports every one at once
 * ({@code migration 'users-email' is missing: table, new column}), each named with what provides it
 * where that is not obvious. Every builder with required setters reports through this.
 */
public final class MissingInputs {
    private final String subject;
    private final List<String> missing = new ArrayList<>(4);

    private MissingInputs(String subject) {
        this.subject = subject;
    }

    /** Collects the missing inputs of {@code subject}, e.g. {@code migration 'users-email'}. */
    public static MissingInputs of(String subject) {
        return new MissingInputs(subject);
    }

    /** Notes {@code input} (with what provides it) as missing when {@code value} is null. */
    public MissingInputs require(Object value, String input) {
        return requireThat(value != null, input);
    }

    /** Notes {@code input} (with what provides it) as missing unless {@code present}. */
    public MissingInputs requireThat(boolean present, String input) {
        if (!present) {
            missing.add(input);
        }
        return this;
    }

    /**
     * Returns when nothing is missing.
     *
     * @throws IllegalStateException naming every missing input, in the order they were required
     */
    public void check() {
        if (!missing.isEmpty()) {
            throw new IllegalStateException(subject + " is missing: " + String.join(", ", missing));
        }
    }
}
