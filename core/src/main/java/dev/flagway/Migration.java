package dev.flagway;

import dev.flagway.breaker.BreakerConfig;
import dev.flagway.internal.Checks;
import dev.flagway.internal.Identifiers;
import dev.flagway.internal.MissingInputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jooq.Name;
import org.jooq.impl.DSL;

/**
 * The immutable definition of one column migration: which flag drives it, which table and columns
 * it moves between, how a legacy value becomes a new one, and how its breaker and shadow reads
 * behave. Every SQL name is validated when the definition is built, so no configured name can carry
 * SQL; use {@link #tableName()} and the other {@link Name} accessors to build statements.
 *
 * <pre>{@code
 * Migration usersEmail = Migration.builder("users-email")
 *         .table("users").keyColumn("id")
 *         .legacyColumn("email").newColumn("email_normalized")
 *         .transform(email -> email == null ? null : email.toString().trim().toLowerCase())
 *         .build();
 * }</pre>
 */
public final class Migration {
    private final String id;
    private final String flagKey;
    private final String table;
    private final String keyColumn;
    private final String legacyColumn;
    private final String newColumn;
    private final Function<Object, Object> transform;
    private final Stage defaultStage;
    private final WritePolicy writePolicy;
    private final BreakerConfig breaker;
    private final ShadowConfig shadow;
    private final Name tableName;
    private final String newColumnType;
    private final boolean newColumnIndex;
    private final boolean newColumnNotNull;
    private final Map<String, Object> lifecycleSettings;
    private final String transformSql;
    private final boolean javaTransform;
    private final Duration businessCycle;
    private final RolloutPlan rolloutPlan;

    private Migration(Builder b, String[] tableParts) {
        this.id = b.id;
        this.flagKey = b.flagKey == null ? b.id : b.flagKey;
        this.table = b.table;
        this.keyColumn = b.keyColumn;
        this.legacyColumn = b.legacyColumn;
        this.newColumn = b.newColumn;
        this.transform = b.transform;
        this.defaultStage = b.defaultStage;
        this.writePolicy = b.writePolicy;
        this.breaker = b.breaker;
        this.shadow = b.shadow;
        this.tableName = DSL.name(tableParts);
        this.newColumnType = b.newColumnType;
        this.newColumnIndex = b.newColumnIndex;
        this.newColumnNotNull = b.newColumnNotNull;
        this.lifecycleSettings = Collections.unmodifiableMap(new LinkedHashMap<>(b.lifecycleSettings));
        this.transformSql = b.transformSql;
        this.javaTransform = b.javaTransform;
        this.businessCycle = b.businessCycle;
        this.rolloutPlan = new RolloutPlan(b.rolloutSteps, b.rolloutHold);
    }

    /**
     * Starts a definition.
     *
     * @param id the migration id: lower-case letters, digits, '.', '_' or '-' (it names meters and properties)
     * @throws IllegalArgumentException when the id is invalid
     */
    public static Builder builder(String id) {
        return new Builder(Identifiers.requireMigrationId(id));
    }

    /** A builder holding this definition's settings, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.flagKey = flagKey;
        b.table = table;
        b.keyColumn = keyColumn;
        b.legacyColumn = legacyColumn;
        b.newColumn = newColumn;
        b.transform = transform;
        b.defaultStage = defaultStage;
        b.writePolicy = writePolicy;
        b.breaker = breaker;
        b.shadow = shadow;
        b.newColumnType = newColumnType;
        b.newColumnIndex = newColumnIndex;
        b.newColumnNotNull = newColumnNotNull;
        b.lifecycleSettings.putAll(lifecycleSettings);
        b.transformSql = transformSql;
        b.javaTransform = javaTransform;
        b.businessCycle = businessCycle;
        b.rolloutSteps = rolloutPlan.steps();
        b.rolloutHold = rolloutPlan.hold();
        return b;
    }

    /** The migration id. */
    public String id() {
        return id;
    }

    /** The OpenFeature flag key whose string variant is the {@link Stage}; defaults to the id. */
    public String flagKey() {
        return flagKey;
    }

    /** The table, as configured ({@code table} or {@code schema.table}). */
    public String table() {
        return table;
    }

    /** The table as a jOOQ name, quoted when rendered. */
    public Name tableName() {
        return tableName;
    }

    /** The key column (unique, ordered: the backfill walks it). */
    public String keyColumn() {
        return keyColumn;
    }

    /** The key column as a jOOQ name. */
    public Name keyColumnName() {
        return DSL.name(keyColumn);
    }

    /** The legacy column, the source of truth until {@link Stage#COMPLETE}. */
    public String legacyColumn() {
        return legacyColumn;
    }

    /** The legacy column as a jOOQ name. */
    public Name legacyColumnName() {
        return DSL.name(legacyColumn);
    }

    /** The new column. */
    public String newColumn() {
        return newColumn;
    }

    /** The new column as a jOOQ name. */
    public Name newColumnName() {
        return DSL.name(newColumn);
    }

    /**
     * Derives the new column's value from the legacy column's; identity by default. Used to repair a
     * failed modern write in its transaction, by the backfill and its repair drain, and by the
     * verifier. It receives the legacy value as the JDBC driver returns it for the column's type
     * ({@code ResultSet.getObject}: {@code String} for text, {@code Integer}/{@code Long} for integers,
     * {@code BigDecimal} for NUMERIC/DECIMAL, {@code java.sql.Timestamp}/{@code java.sql.Date} for
     * date-times, {@code Boolean}, {@code byte[]}, or null) and returns a value the driver can bind to
     * the new column (one of those types, or null). It should be pure and fast; when it throws, the
     * row cannot be migrated as it is (see {@code TransformFailurePolicy}).
     */
    public Function<Object, Object> transform() {
        return transform;
    }

    /**
     * The new column's SQL type as declared (e.g. {@code varchar(320)}), from which the lifecycle derives
     * the expand step; empty when not declared.
     */
    public Optional<String> newColumnType() {
        return Optional.ofNullable(newColumnType);
    }

    /**
     * Whether the expand derived from {@link #newColumnType()} also indexes the new column (as
     * {@code <table>_<new column>_idx}).
     */
    public boolean newColumnIndex() {
        return newColumnIndex;
    }

    /**
     * Whether the lifecycle offers the declared NOT NULL step on the new column ({@code enforce-not-null},
     * after a passing verification, lock-safely per server).
     */
    public boolean newColumnNotNull() {
        return newColumnNotNull;
    }

    /**
     * The migration's own {@code backfill.*} and {@code ddl.*} settings, by name (e.g.
     * {@code backfill.max-rows-per-second} to {@code 200}, {@code ddl.lock-timeout} to a
     * {@link Duration}): its lifecycle applies them over the factory's backfill and DDL settings.
     * Empty when none are declared.
     */
    public Map<String, Object> lifecycleSettings() {
        return lifecycleSettings;
    }

    /**
     * The transform as a SQL expression over the legacy column (e.g. {@code lower(trim(email))}), used
     * set-based by the backfill, its repairs and the verifier, unless a Java {@link #transform()} was
     * given; empty when not declared.
     */
    public Optional<String> transformSql() {
        return Optional.ofNullable(transformSql);
    }

    /** Whether a Java transform was given (it then wins over {@link #transformSql()}). */
    public boolean hasJavaTransform() {
        return javaTransform;
    }

    /**
     * How long the flag must be fully modern with zero fallbacks before the legacy column may be
     * dropped; 7 days by default.
     */
    public Duration businessCycle() {
        return businessCycle;
    }

    /**
     * The automatic rollout's plan: the shares the rollout controller moves {@code live} through and the
     * hold of each; {@link RolloutPlan#DEFAULT} unless set.
     */
    public RolloutPlan rolloutPlan() {
        return rolloutPlan;
    }

    /** The stage used when the flag cannot be evaluated; {@link Stage#OFF} by default. */
    public Stage defaultStage() {
        return defaultStage;
    }

    /** What a failed modern write does; {@link WritePolicy#REPAIR} by default. */
    public WritePolicy writePolicy() {
        return writePolicy;
    }

    /** The circuit breaker settings. */
    public BreakerConfig breaker() {
        return breaker;
    }

    /** The shadow read settings. */
    public ShadowConfig shadow() {
        return shadow;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Migration)) {
            return false;
        }
        Migration that = (Migration) o;
        return id.equals(that.id) && flagKey.equals(that.flagKey) && table.equals(that.table)
                && keyColumn.equals(that.keyColumn) && legacyColumn.equals(that.legacyColumn)
                && newColumn.equals(that.newColumn) && transform.equals(that.transform)
                && defaultStage == that.defaultStage && writePolicy == that.writePolicy
                && breaker.equals(that.breaker) && shadow.equals(that.shadow)
                && Objects.equals(newColumnType, that.newColumnType) && newColumnIndex == that.newColumnIndex
                && newColumnNotNull == that.newColumnNotNull && lifecycleSettings.equals(that.lifecycleSettings)
                && Objects.equals(transformSql, that.transformSql)
                && javaTransform == that.javaTransform && businessCycle.equals(that.businessCycle)
                && rolloutPlan.equals(that.rolloutPlan);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, flagKey, table, keyColumn, legacyColumn, newColumn, defaultStage, writePolicy);
    }

    @Override
    public String toString() {
        return "Migration{id=" + id + ", flag=" + flagKey + ", table=" + table + ", key-column=" + keyColumn
                + ", legacy-column=" + legacyColumn + ", new-column=" + newColumn
                + ", default-stage=" + defaultStage.flagValue() + ", write-policy=" + writePolicy
                + (newColumnType == null ? "" : ", new-column-type=" + newColumnType)
                + (newColumnIndex ? ", new-column-index=true" : "")
                + (newColumnNotNull ? ", new-column-not-null=true" : "")
                + (lifecycleSettings.isEmpty() ? "" : ", lifecycle-settings=" + lifecycleSettings)
                + (transformSql == null ? "" : ", transform-sql=" + transformSql)
                + ", contract.business-cycle=" + businessCycle
                + ", rollout=" + rolloutPlan.describe()
                + ", breaker=" + breaker + ", shadow=" + shadow + '}';
    }

    /** Builds a {@link Migration}; setters check their argument, {@link #build()} checks completeness. */
    public static final class Builder {
        private final String id;
        private String flagKey;
        private String table;
        private String keyColumn;
        private String legacyColumn;
        private String newColumn;
        private Function<Object, Object> transform = Function.identity();
        private Stage defaultStage = Stage.OFF;
        private WritePolicy writePolicy = WritePolicy.REPAIR;
        private BreakerConfig breaker = BreakerConfig.ofDefaults();
        private ShadowConfig shadow = ShadowConfig.ofDefaults();
        private String newColumnType;
        private boolean newColumnIndex;
        private boolean newColumnNotNull;
        private final Map<String, Object> lifecycleSettings = new LinkedHashMap<>();
        private String transformSql;
        private boolean javaTransform;
        private Duration businessCycle = Duration.ofDays(7);
        private List<Double> rolloutSteps = RolloutPlan.DEFAULT.steps();
        private Duration rolloutHold = RolloutPlan.DEFAULT.hold();

        private Builder(String id) {
            this.id = id;
        }

        /** The OpenFeature flag key; defaults to the migration id. Must not be blank. */
        public Builder flag(String flagKey) {
            if (flagKey == null || flagKey.isBlank()) {
                throw new IllegalArgumentException("flag key of migration '" + id + "' must not be blank");
            }
            this.flagKey = flagKey;
            return this;
        }

        /** The table, {@code table} or {@code schema.table}; plain identifiers only. */
        public Builder table(String table) {
            Identifiers.requireTableName("table of migration '" + id + "'", table);
            this.table = table;
            return this;
        }

        /** The key column; a plain identifier. */
        public Builder keyColumn(String column) {
            this.keyColumn = Identifiers.requireSqlName("key column of migration '" + id + "'", column);
            return this;
        }

        /** The legacy column; a plain identifier. */
        public Builder legacyColumn(String column) {
            this.legacyColumn = Identifiers.requireSqlName("legacy column of migration '" + id + "'", column);
            return this;
        }

        /** The new column; a plain identifier. */
        public Builder newColumn(String column) {
            this.newColumn = Identifiers.requireSqlName("new column of migration '" + id + "'", column);
            return this;
        }

        /**
         * Derives the new value from the legacy value (used by repair, backfill and verification);
         * see {@link Migration#transform()} for the types it receives and must return.
         */
        @SuppressWarnings("unchecked")
        public Builder transform(Function<?, ?> transform) {
            this.transform = (Function<Object, Object>) Checks.notNull("transform of migration '" + id + "'", transform);
            this.javaTransform = true;
            return this;
        }

        /**
         * The new column's SQL type, e.g. {@code varchar(320)} or {@code numeric(12,2)}: the lifecycle
         * adds the column with it at expand.
         */
        public Builder newColumnType(String sqlType) {
            this.newColumnType = sqlText("new column type", sqlType);
            return this;
        }

        /** Whether the derived expand also indexes the new column, as {@code <table>_<new column>_idx}. */
        public Builder newColumnIndex(boolean index) {
            this.newColumnIndex = index;
            return this;
        }

        /**
         * Whether the lifecycle offers the NOT NULL step on the new column ({@code enforce-not-null}),
         * run after a passing verification.
         */
        public Builder newColumnNotNull(boolean notNull) {
            this.newColumnNotNull = notNull;
            return this;
        }

        /**
         * One of the migration's own {@code backfill.*} or {@code ddl.*} settings, as property binding
         * checked and typed it (e.g. {@code backfill.max-rows-per-second} to an {@link Integer}); its
         * lifecycle applies it over the factory's settings, refusing a name it does not know.
         */
        public Builder lifecycleSetting(String name, Object value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            this.lifecycleSettings.put(name, value);
            return this;
        }

        /**
         * The transform as a SQL expression over the legacy column, e.g. {@code lower(trim(email))}:
         * the backfill, its repairs and the verifier run it in the database. A Java
         * {@link #transform(Function)} wins over it where both are given.
         */
        public Builder transformSql(String expression) {
            this.transformSql = sqlText("transform SQL expression", expression);
            return this;
        }

        /** How long the flag must be fully modern with zero fallbacks before contract; 7 days by default. */
        public Builder businessCycle(Duration cycle) {
            this.businessCycle = Checks.positive("contract business-cycle of migration '" + id + "'", cycle);
            return this;
        }

        /**
         * The automatic rollout's shares in percent, strictly increasing, each in (0, 100];
         * {@code 1, 10, 50, 100} by default.
         */
        public Builder rolloutSteps(List<Double> steps) {
            try {
                this.rolloutSteps = RolloutPlan.checkSteps(steps);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("migration '" + id + "': " + e.getMessage(), e);
            }
            return this;
        }

        /** How long each rollout step must hold with a healthy fleet before the next; 10 minutes by default. */
        public Builder rolloutHold(Duration hold) {
            this.rolloutHold = Checks.positive("rollout hold of migration '" + id + "'", hold);
            return this;
        }

        private String sqlText(String what, String text) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException(what + " of migration '" + id + "' must not be blank");
            }
            if (text.contains(";") || text.contains("--") || text.contains("/*")) {
                throw new IllegalArgumentException(what + " of migration '" + id + "' must be one SQL fragment "
                        + "without ';' or comments, but was: " + text);
            }
            return text.strip();
        }

        /** The stage used when the flag cannot be evaluated. */
        public Builder defaultStage(Stage stage) {
            this.defaultStage = Checks.notNull("default stage of migration '" + id + "'", stage);
            return this;
        }

        /** What a failed modern write does. */
        public Builder writePolicy(WritePolicy policy) {
            this.writePolicy = Checks.notNull("write policy of migration '" + id + "'", policy);
            return this;
        }

        /** The circuit breaker settings. */
        public Builder breaker(BreakerConfig config) {
            this.breaker = Checks.notNull("breaker config of migration '" + id + "'", config);
            return this;
        }

        /** The shadow read settings. */
        public Builder shadow(ShadowConfig config) {
            this.shadow = Checks.notNull("shadow config of migration '" + id + "'", config);
            return this;
        }

        /**
         * The immutable definition.
         *
         * @throws IllegalStateException listing every missing setting, or when the legacy and new
         *     columns (or the key column) are the same
         */
        public Migration build() {
            MissingInputs.of("migration '" + id + "'")
                    .require(table, "table")
                    .require(keyColumn, "key column")
                    .require(legacyColumn, "legacy column")
                    .require(newColumn, "new column")
                    .check();
            if (legacyColumn.equalsIgnoreCase(newColumn)) {
                throw new IllegalStateException("migration '" + id + "': legacy column and new column are both '"
                        + legacyColumn + "'");
            }
            if (keyColumn.equalsIgnoreCase(legacyColumn) || keyColumn.equalsIgnoreCase(newColumn)) {
                throw new IllegalStateException("migration '" + id + "': key column '" + keyColumn
                        + "' must differ from the legacy and new columns");
            }
            return new Migration(this, Identifiers.requireTableName("table", table));
        }
    }
}
