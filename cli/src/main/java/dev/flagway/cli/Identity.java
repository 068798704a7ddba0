package dev.flagway.cli;

import dev.flagway.backfill.Transform;

/**
 * The transform of migrations bound from properties, which carry no code: the new column takes the
 * legacy value as it is (the database converts it to the new column's type). As SQL, so that a
 * backfill batch is one set-based UPDATE and verification compares on the server.
 */
final class Identity {
    /** {@code new = legacy}, rendered as SQL. */
    static final Transform TRANSFORM = Transform.sql(legacy -> legacy);

    private Identity() {
    }
}
