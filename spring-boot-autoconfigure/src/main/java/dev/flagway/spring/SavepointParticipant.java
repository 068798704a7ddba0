package dev.flagway.spring;

/**
 * A resource of the Spring transaction that keeps changes outside the JDBC connection (a JPA
 * persistence context does), told about each savepoint {@link SpringTransactionRunner} sets so that
 * the savepoint covers exactly the work run under it: changes made before it are written before it
 * is set, changes made under it are written before it is released (so their failure happens inside
 * it), and changes rolled back to it are forgotten.
 */
public interface SavepointParticipant {
    /**
     * Called on the transaction's thread before the savepoint is set: write pending changes.
     *
     * @return what {@link #afterRollback} needs to restore this state; may be null
     */
    Object beforeSavepoint();

    /** Called when the work under the savepoint returned, before the savepoint is released: write pending changes. */
    void beforeRelease();

    /**
     * Called after the transaction was rolled back to the savepoint: forget every change made under it.
     *
     * @param mark what {@link #beforeSavepoint()} returned
     */
    void afterRollback(Object mark);
}
