package dev.flagway.config;

import dev.flagway.internal.Checks;
import dev.flagway.internal.Durations;
import dev.flagway.internal.Identifiers;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of Flagway's database-backed OpenFeature provider (module
 * {@code flagway-openfeature-provider}), bound from {@code flagway.provider.*}. Flagway's core does not
 * use them: integrations such as the Spring Boot starter build the provider from them, and the
 * provider's own builder checks them further (the refresh interval's range, for one).
 */
public final class ProviderSettings {
    private static final ProviderSettings DEFAULTS = custom().build();

    private final boolean enabled;
    private final String tablePrefix;
    private final Duration refreshInterval;
    private final boolean createTables;

    private ProviderSettings(Builder b) {
        this.enabled = b.enabled;
        this.tablePrefix = b.tablePrefix;
        this.refreshInterval = b.refreshInterval;
        this.createTables = b.createTables;
    }

    /** The defaults: not enabled, tables {@code flagway_flags} and {@code flagway_flag_audit}, refreshed every second, created when missing. */
    public static ProviderSettings ofDefaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder custom() {
        return new Builder();
    }

    /** Whether the application keeps its migration flags in its own database through the provider; default false. */
    public boolean enabled() {
        return enabled;
    }

    /** Prefix of the provider's tables ({@code <prefix>flags}, {@code <prefix>flag_audit}); default {@code flagway_}. */
    public String tablePrefix() {
        return tablePrefix;
    }

    /** How often each instance reloads the flags; default 1 s. */
    public Duration refreshInterval() {
        return refreshInterval;
    }

    /** Whether the provider creates its tables when they are missing; default true. */
    public boolean createTables() {
        return createTables;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderSettings that && enabled == that.enabled && tablePrefix.equals(that.tablePrefix)
                && refreshInterval.equals(that.refreshInterval) && createTables == that.createTables;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, tablePrefix, refreshInterval, createTables);
    }

    @Override
    public String toString() {
        return "ProviderSettings{enabled=" + enabled + ", table-prefix=" + tablePrefix + ", refresh-interval="
                + Durations.format(refreshInterval) + ", create-tables=" + createTables + '}';
    }

    /** Builds {@link ProviderSettings}; every setter checks its argument. */
    public static final class Builder {
        private boolean enabled;
        private String tablePrefix = "flagway_";
        private Duration refreshInterval = Duration.ofSeconds(1);
        private boolean createTables = true;

        private Builder() {
        }

        /** See {@link ProviderSettings#enabled()}. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** See {@link ProviderSettings#tablePrefix()}; a plain SQL identifier prefix such as {@code app_}. */
        public Builder tablePrefix(String prefix) {
            this.tablePrefix = Identifiers.requireSqlName("table prefix", prefix);
            return this;
        }

        /** See {@link ProviderSettings#refreshInterval()}; positive. */
        public Builder refreshInterval(Duration interval) {
            this.refreshInterval = Checks.positive("refresh interval", interval);
            return this;
        }

        /** See {@link ProviderSettings#createTables()}. */
        public Builder createTables(boolean createTables) {
            this.createTables = createTables;
            return this;
        }

        /** The immutable settings. */
        public ProviderSettings build() {
            return new ProviderSettings(this);
        }
    }
}
