/**
 * Expand and contract: {@link dev.flagway.schema.SchemaOperation}s describe schema changes, a dialect
 * plans them as lock-safe {@link dev.flagway.schema.DdlStatement}s and
 * {@link dev.flagway.schema.SchemaExecutor} runs them with lock timeouts and retries. The linters
 * ({@link dev.flagway.schema.SchemaLinter} for operations, {@link dev.flagway.schema.SqlLinter} for SQL
 * migration files) refuse unsafe changes by the one rule set {@link dev.flagway.schema.LintRule}.
 */
package dev.flagway.schema;
