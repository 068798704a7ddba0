/**
 * JDBC plumbing an application wires in: the {@link dev.flagway.jdbc.TransactionRunner} that puts
 * both writes of a dual write in one transaction ({@link dev.flagway.jdbc.DataSourceTransactionRunner},
 * {@link dev.flagway.jdbc.JooqTransactionRunner}), and Flagway's bookkeeping tables (repair log, bad
 * rows).
 */
package dev.flagway.jdbc;
