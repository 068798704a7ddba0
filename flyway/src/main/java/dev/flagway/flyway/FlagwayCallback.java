package dev.flagway.flyway;

import dev.flagway.contract.ContractDecision;
import dev.flagway.contract.ContractGate;
import dev.flagway.contract.ContractRefusedException;
import dev.flagway.dialect.Dialect;
import dev.flagway.internal.Checks;
import dev.flagway.internal.Identifiers;
import dev.flagway.schema.DdlMode;
import dev.flagway.schema.DdlSettings;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flagway inside Flyway. Register it once ({@link #configure}) and it
 * <ul>
 *   <li>lints every pending SQL migration before {@code migrate}, with the rules and messages of
 *       {@code flagway lint} ({@link dev.flagway.schema.SqlLinter}), waivers by
 *       {@code -- flagway:allow RULE reason} comments; {@link LintMode#FAIL} refuses to migrate,
 *       before anything runs, while a finding is not waived;</li>
 *   <li>gives every plain SQL migration the lock timeout of {@link DdlSettings#lockTimeout()}
 *       (PostgreSQL {@code lock_timeout}; MySQL and MariaDB {@code lock_wait_timeout} and the
 *       dialect's sub-second watchdog) and runs each {@code ALTER TABLE} and {@code CREATE INDEX}
 *       itself with bounded retries on lock timeout (see {@code StatementLocks}), logging who holds
 *       the table;</li>
 *   <li>refuses a {@link FlagwayContractMigration} before Flyway records anything while its
 *       {@link ContractGate} refuses, with the gate's reasons;</li>
 *   <li>fails fast, with the reason, when a pending {@link FlagwayJavaMigration} builds an index
 *       concurrently on PostgreSQL while Flyway holds its lock in a transaction (which would hang
 *       it); {@link #configure} switches that lock off.</li>
 * </ul>
 *
 * <pre>{@code
 * FlagwayCallback flagway = FlagwayCallback.builder()
 *         .ddlSettings(DdlSettings.custom().lockTimeout(Duration.ofSeconds(2)).build())
 *         .lint(LintMode.FAIL)
 *         .contractGate("users-email", gate)
 *         .build();
 * flagway.configure(Flyway.configure().dataSource(dataSource)).load().migrate();
 * // or: Flyway.configure().callbacks(flagway.callback()) and postgresql.transactional.lock=false
 * }</pre>
 *
 * Flyway 11.13 made {@code Callback} a {@code GenericCallback<Event>}, whose erased methods a class
 * compiled against an older Flyway does not have; so Flyway sees this through {@link #callback()}, a
 * proxy that implements whichever {@code Callback} interface the running Flyway has (tested with the
 * Flyway Spring Boot 3.5 manages and with Flyway 13).
 *
 * <p>Thread-safe; one instance serves any number of Flyway runs.
 */
public final class FlagwayCallback {
    private static final Logger LOG = LoggerFactory.getLogger(FlagwayCallback.class);
    private static final Set<Event> EVENTS = Set.of(Event.BEFORE_MIGRATE, Event.BEFORE_EACH_MIGRATE,
            Event.BEFORE_EACH_MIGRATE_STATEMENT, Event.AFTER_EACH_MIGRATE, Event.AFTER_EACH_MIGRATE_ERROR);

    private final DdlSettings ddlSettings;
    private final LintMode lintMode;
    private final Map<String, ContractGate> gates;
    private final Dialects dialects = new Dialects();
    private final StatementLocks statementLocks;
    private final Callback callback;

    private FlagwayCallback(Builder b) {
        this.ddlSettings = b.ddlSettings;
        this.lintMode = b.lintMode;
        this.gates = Map.copyOf(b.gates);
        this.statementLocks = new StatementLocks(ddlSettings);
        this.callback = (Callback) Proxy.newProxyInstance(Callback.class.getClassLoader(),
                new Class<?>[] {Callback.class}, new Handler(this));
    }

    /** This callback as Flyway takes it ({@code Flyway.configure().callbacks(flagway.callback())}, or a Spring bean). */
    public Callback callback() {
        return callback;
    }

    /** A builder with the defaults: {@link DdlSettings#ofDefaults()}, {@link LintMode#FAIL}, no contract gates. */
    public static Builder builder() {
        return new Builder();
    }

    /** A callback with the defaults. */
    public static FlagwayCallback ofDefaults() {
        return builder().build();
    }

    /**
     * Adds this callback to {@code flyway} (after the callbacks it has) and switches off Flyway's
     * PostgreSQL transactional lock ({@code postgresql.transactional.lock=false}), under which a
     * concurrent index hangs.
     *
     * @return {@code flyway}, for chaining
     */
    public FluentConfiguration configure(FluentConfiguration flyway) {
        Checks.notNull("flyway configuration", flyway);
        List<Callback> callbacks = new ArrayList<>(Arrays.asList(flyway.getCallbacks()));
        if (!callbacks.contains(callback)) {
            callbacks.add(callback);
        }
        flyway.callbacks(callbacks.toArray(Callback[]::new));
        TransactionalLock.switchOff(flyway);
        return flyway;
    }

    /** The timeouts and retries of Flagway migrations and of plain SQL migrations. */
    public DdlSettings ddlSettings() {
        return ddlSettings;
    }

    /** What happens to lint findings of pending SQL migrations. */
    public LintMode lintMode() {
        return lintMode;
    }

    /** The contract gate registered for {@code migrationId}. */
    public Optional<ContractGate> contractGate(String migrationId) {
        return Optional.ofNullable(gates.get(migrationId));
    }

    /** The Flagway callback registered in {@code configuration}. */
    static FlagwayCallback in(Configuration configuration, String migration) {
        return Arrays.stream(configuration.getCallbacks()).filter(c -> Proxy.isProxyClass(c.getClass()))
                .map(c -> Proxy.getInvocationHandler(c)).filter(Handler.class::isInstance)
                .map(h -> ((Handler) h).flagway).findFirst()
                .orElseThrow(() -> new FlywayException(migration + " is a Flagway migration but Flyway has no"
                        + " FlagwayCallback: configure Flyway with FlagwayCallback.builder()...build()"
                        + ".configure(Flyway.configure()), or declare the callback as a bean under Spring Boot"));
    }

    Dialect dialect(Configuration configuration) {
        return dialects.of(dataSource(configuration));
    }

    static DataSource dataSource(Configuration configuration) {
        DataSource dataSource = configuration.getDataSource();
        if (dataSource == null) {
            throw new FlywayException("Flagway needs Flyway's data source, but Flyway has none configured");
        }
        return dataSource;
    }

    /** Flyway's callback methods, by name: their erased signatures differ between Flyway versions. */
    private static final class Handler implements InvocationHandler {
        private final FlagwayCallback flagway;

        Handler(FlagwayCallback flagway) {
            this.flagway = flagway;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "supports":
                    return EVENTS.contains(args[0]);
                case "canHandleInTransaction":
                    return true;
                case "handle":
                    flagway.handle((Event) args[0], (Context) args[1]);
                    return null;
                case "getCallbackName":
                    return "flagway";
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "FlagwayCallback{" + flagway.ddlSettings + ", lint=" + flagway.lintMode + "}";
                default:
                    throw new UnsupportedOperationException("Flagway's Flyway callback has no method " + method);
            }
        }
    }

    private void handle(Event event, Context context) {
        try {
            switch (event) {
                case BEFORE_MIGRATE:
                    beforeMigrate(context);
                    break;
                case BEFORE_EACH_MIGRATE:
                    beforeEachMigrate(context);
                    break;
                case BEFORE_EACH_MIGRATE_STATEMENT:
                    if (isSql(context)) {
                        statementLocks.beforeStatement(context.getConnection(), dataSource(context.getConfiguration()),
                                dialect(context.getConfiguration()), context.getMigrationInfo().getScript(),
                                context.getStatement().getSql());
                    }
                    break;
                default: // AFTER_EACH_MIGRATE, AFTER_EACH_MIGRATE_ERROR
                    if (isSql(context)) {
                        resetTimeouts(context);
                    }
            }
        } catch (SQLException e) {
            throw new FlywayException("Flagway " + event.getId() + " failed: " + e.getMessage(), e);
        }
    }

    private void beforeMigrate(Context context) throws SQLException {
        Configuration configuration = context.getConfiguration();
        PendingMigrations pending = PendingMigrations.of(configuration);
        if (lintMode != LintMode.OFF) {
            pending.lint(context.getConnection(), lintMode);
        }
        if (dialect(configuration).sqlDialect().family() == org.jooq.SQLDialect.POSTGRES
                && TransactionalLock.isOn(configuration)) {
            for (FlagwayJavaMigration m : pending.flagwayMigrations()) {
                if (m.plan(dialect(configuration)).stream().anyMatch(s -> s.mode() == DdlMode.ONLINE)) {
                    throw new FlywayException(TransactionalLock.trap(m.getClass().getName()));
                }
            }
        }
    }

    private void beforeEachMigrate(Context context) throws SQLException {
        if (isSql(context)) {
            Dialect dialect = dialect(context.getConfiguration());
            dialect.applyTimeouts(context.getConnection(), DdlMode.ONLINE, ddlSettings.lockTimeout(),
                    ddlSettings.longStatementTimeout());
            return;
        }
        Object migration = PendingMigrations.javaMigration(context.getConfiguration(),
                context.getMigrationInfo().getScript());
        if (migration instanceof FlagwayContractMigration contract) {
            ContractGate gate = gateFor(contract);
            ContractDecision decision = gate.evaluate();
            if (!decision.allowed()) {
                throw new FlywayException(new ContractRefusedException(decision).getMessage()
                        + "\nFlyway ran and recorded nothing of " + contract.getClass().getName());
            }
        }
    }

    ContractGate gateFor(FlagwayContractMigration contract) {
        String id = contract.migrationId();
        return contractGate(id).orElseThrow(() -> new FlywayException(contract.getClass().getName()
                + " contracts migration '" + id + "' but no contract gate is registered for it:"
                + " FlagwayCallback.builder().contractGate(\"" + id + "\", gate)"));
    }

    private void resetTimeouts(Context context) {
        try {
            dialect(context.getConfiguration()).resetTimeouts(context.getConnection());
        } catch (SQLException e) {
            // an aborted transaction refuses it; its rollback undoes the setting anyway
            LOG.debug("could not reset the migration connection's timeouts: {}", e.toString());
        }
    }

    private static boolean isSql(Context context) {
        return context.getMigrationInfo() != null && PendingMigrations.isSql(context.getMigrationInfo());
    }

    /** Builds a {@link FlagwayCallback}. */
    public static final class Builder {
        private DdlSettings ddlSettings = DdlSettings.ofDefaults();
        private LintMode lintMode = LintMode.FAIL;
        private final Map<String, ContractGate> gates = new LinkedHashMap<>();

        private Builder() {
        }

        /** Timeouts and retries, for Flagway migrations and plain SQL migrations alike. */
        public Builder ddlSettings(DdlSettings value) {
            this.ddlSettings = Checks.notNull("ddl settings", value);
            return this;
        }

        /** What lint findings of pending SQL migrations do; {@link LintMode#FAIL} by default. */
        public Builder lint(LintMode value) {
            this.lintMode = Checks.notNull("lint mode", value);
            return this;
        }

        /** The gate that decides whether {@code migrationId}'s {@link FlagwayContractMigration} may run. */
        public Builder contractGate(String migrationId, ContractGate gate) {
            gates.put(Identifiers.requireMigrationId(migrationId), Checks.notNull("contract gate", gate));
            return this;
        }

        /** The callback. */
        public FlagwayCallback build() {
            return new FlagwayCallback(this);
        }
    }
}
