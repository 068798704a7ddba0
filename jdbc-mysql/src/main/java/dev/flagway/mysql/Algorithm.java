package dev.flagway.mysql;

/** The ALGORITHM and LOCK clauses the planner appends to an ALTER TABLE. */
enum Algorithm {
    /** A metadata-only change: no rebuild, the exclusive metadata lock only for an instant. */
    INSTANT(", algorithm=instant"),
    /** An online change: reads and writes go on during the build (LOCK=NONE). */
    INPLACE(", algorithm=inplace, lock=none"),
    /** An in-place build that blocks writes (an index build the caller asked to run non-concurrently). */
    INPLACE_BLOCKING_WRITES(", algorithm=inplace, lock=shared"),
    /** A table copy that blocks writes; only when the caller allowed it. */
    COPY(", algorithm=copy, lock=shared");

    private final String clause;

    Algorithm(String clause) {
        this.clause = clause;
    }

    /** The clause, starting with the comma that separates it from the alter specification. */
    String clause() {
        return clause;
    }
}
