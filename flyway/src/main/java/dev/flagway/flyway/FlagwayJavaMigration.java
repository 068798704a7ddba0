package dev.flagway.flyway;

import dev.flagway.dialect.Dialect;
import dev.flagway.postgres.PostgresDialect;
import dev.flagway.schema.DdlMode;
import dev.flagway.schema.DdlStatement;
import dev.flagway.schema.LintOverride;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.schema.StatementOutcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jooq.SQLDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flyway Java migration whose schema changes run through Flagway's lock-safe
 * {@link SchemaExecutor}: linted first, every statement under a lock timeout with bounded retries
 * and backoff, the sessions that block it logged, {@code CREATE INDEX CONCURRENTLY} outside a
 * transaction, constraints added NOT VALID and validated separately. Name the class as Flyway names
 * Java migrations ({@code V7__users_email_expand}) and declare the operations:
 *
 * <pre>{@code
 * public class V7__users_email_expand extends FlagwayJavaMigration {
 *     protected List<SchemaOperation> operations() {
 *         return List.of(
 *                 SchemaOperation.addColumn("users", "email_normalized", SQLDataType.VARCHAR(320)),
 *                 SchemaOperation.createIndex("users", "users_email_normalized_idx", "email_normalized"));
 *     }
 * }
 * }</pre>
 *
 * The migration needs {@link FlagwayCallback} in Flyway's configuration (for its settings). Its
 * checksum is the CRC32 of its lock-safe script as planned for PostgreSQL, so editing an applied
 * migration fails Flyway's validation as editing a SQL file does. It runs outside Flyway's
 * transaction (it commits each statement as the executor plans it), on connections of Flyway's data
 * source.
 */
public abstract class FlagwayJavaMigration extends BaseJavaMigration {
    private static final Logger LOG = LoggerFactory.getLogger(FlagwayJavaMigration.class);

    /** Subclasses declare {@link #operations()}. */
    protected FlagwayJavaMigration() {
    }

    /** The schema changes, in order. */
    protected abstract List<SchemaOperation> operations();

    /** Explicit permissions for operations the linter refuses; none by default. */
    protected List<LintOverride> overrides() {
        return List.of();
    }

    /** The CRC32 of {@link #script(Dialect)} for PostgreSQL: changes whenever an operation does. */
    @Override
    public final Integer getChecksum() {
        CRC32 crc = new CRC32();
        crc.update(script(new PostgresDialect()).getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    /** False: the executor runs every statement in the transaction (or none) its plan gives it. */
    @Override
    public final boolean canExecuteInTransaction() {
        return false;
    }

    /** The lock-safe statements for {@code dialect}, in order. */
    public final List<DdlStatement> plan(Dialect dialect) {
        return operations().stream().flatMap(op -> dialect.plan(op).stream()).toList();
    }

    /** The statements for {@code dialect} as a script, one per line, each ending with a semicolon. */
    public final String script(Dialect dialect) {
        StringBuilder s = new StringBuilder();
        plan(dialect).forEach(statement -> s.append(statement.sql()).append(";\n"));
        return s.toString();
    }

    /**
     * Runs the operations through the lock-safe executor.
     *
     * @throws FlywayException when Flyway holds its PostgreSQL lock in a transaction and an operation
     *         runs concurrently (it would hang), before anything runs
     */
    @Override
    public final void migrate(Context context) {
        Configuration configuration = context.getConfiguration();
        FlagwayCallback flagway = FlagwayCallback.in(configuration, getClass().getName());
        Dialect dialect = flagway.dialect(configuration);
        if (dialect.sqlDialect().family() == SQLDialect.POSTGRES && TransactionalLock.isOn(configuration)
                && plan(dialect).stream().anyMatch(s -> s.mode() == DdlMode.ONLINE)) {
            throw new FlywayException(TransactionalLock.trap(getClass().getName()));
        }
        SchemaExecutor executor = new SchemaExecutor(FlagwayCallback.dataSource(configuration), dialect,
                flagway.ddlSettings());
        List<StatementOutcome> outcomes = executor.apply(operations(), overrides().toArray(LintOverride[]::new));
        for (StatementOutcome outcome : outcomes) {
            LOG.info("{}: {}", getClass().getSimpleName(), outcome);
        }
    }
}
