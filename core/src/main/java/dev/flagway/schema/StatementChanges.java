package dev.flagway.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one statement changes: its changes, each with the line it is written on, and the
 * {@code ALGORITHM=} and {@code LOCK=} clauses it asks MySQL or MariaDB for.
 *
 * @param changes the changes, in statement order
 * @param algorithm the requested algorithm (upper case), or empty
 * @param lock the requested lock level (upper case), or empty
 */
record StatementChanges(List<Located> changes, String algorithm, String lock) {
    /** A change and the line it is written on. */
    record Located(DdlChange change, int line) {
    }

    StatementChanges {
        changes = List.copyOf(changes);
        algorithm = algorithm.toUpperCase(Locale.ROOT);
        lock = lock.toUpperCase(Locale.ROOT);
    }

    static StatementChanges of(DdlChange change, int line) {
        return new StatementChanges(List.of(new Located(change, line)), "", "");
    }

    /**
     * Whether the statement lets the server neither copy the table nor lock it: a change it cannot
     * make that way then fails at once instead of blocking.
     */
    boolean demandsOnline() {
        return lock.equals("NONE") || algorithm.equals("INSTANT");
    }

    /** Collects a statement's changes and clauses while it is read. */
    static final class Builder {
        private final List<Located> changes = new ArrayList<>();
        private String algorithm = "";
        private String lock = "";

        void add(DdlChange change, int line) {
            changes.add(new Located(change, line));
        }

        /** Reads {@code ALGORITHM [=] x} or {@code LOCK [=] x} if it comes next. */
        boolean clause(TokenCursor c) {
            if (c.accept("ALGORITHM")) {
                c.acceptSymbol('=');
                algorithm = c.next().text();
                return true;
            }
            if (c.accept("LOCK")) {
                c.acceptSymbol('=');
                lock = c.next().text();
                return true;
            }
            return false;
        }

        StatementChanges build() {
            return new StatementChanges(changes, algorithm, lock);
        }
    }
}
