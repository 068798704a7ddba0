package dev.flagway.schema;

import java.time.Duration;

/**
 * How one DDL statement went.
 *
 * @param statement the statement
 * @param attempts how many attempts it took (1 when it did not wait)
 * @param elapsed the time from the first attempt to success, backoff included
 * @param alreadyApplied whether the database reported the change as already present
 */
public record StatementOutcome(DdlStatement statement, int attempts, Duration elapsed, boolean alreadyApplied) {
}
