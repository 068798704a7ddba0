package dev.flagway.schema;

/** How a DDL statement runs: which transaction and which timeout profile it gets. */
public enum DdlMode {
    /**
     * In a short transaction with the short lock timeout and statement timeout: statements that take
     * an exclusive lock but only change the catalog (add column, NOT VALID constraint, drop).
     */
    QUICK,
    /**
     * In its own transaction with the short lock timeout but the long statement timeout: statements
     * that scan under a lock that does not block reads or writes (VALIDATE CONSTRAINT).
     */
    VALIDATE,
    /**
     * Outside a transaction with the online profile (its own lock timeout, the long statement timeout):
     * online builds such as CREATE INDEX CONCURRENTLY.
     */
    ONLINE
}
