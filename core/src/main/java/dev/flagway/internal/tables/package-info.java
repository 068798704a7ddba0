/**
 * Internal: Flagway's own bookkeeping tables (their columns, default names and creation), shared by
 * the packages that keep one; <strong>not a supported API</strong>. Its types are public only because
 * Java has no way to share them between packages otherwise; they may change or go in any release,
 * without notice or deprecation. Applications should not use them.
 */
package dev.flagway.internal.tables;
