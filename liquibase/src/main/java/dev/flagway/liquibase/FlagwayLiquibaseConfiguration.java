package dev.flagway.liquibase;

import liquibase.configuration.AutoloadedConfigurations;
import liquibase.configuration.ConfigurationDefinition;

/**
 * Flagway's Liquibase settings, read the Liquibase way (system properties, environment variables
 * such as {@code FLAGWAY_LINT}, {@code liquibase.properties}):
 * <ul>
 *   <li>{@code flagway.enabled} (default {@code true}): whether plain changesets run under Flagway's
 *       executor (lint, lock timeout, retries);</li>
 *   <li>{@code flagway.lint}: {@code fail} (default), {@code warn} or {@code off};</li>
 *   <li>{@code flagway.lockTimeout} (default {@code 2s}) and {@code flagway.maxAttempts} (default 10)
 *       for every statement of a plain changeset.</li>
 * </ul>
 */
public final class FlagwayLiquibaseConfiguration implements AutoloadedConfigurations {
    /** Whether plain changesets run under Flagway's executor. */
    public static final ConfigurationDefinition<Boolean> ENABLED;
    /** fail, warn or off. */
    public static final ConfigurationDefinition<String> LINT;
    /** The lock timeout of each statement of a plain changeset. */
    public static final ConfigurationDefinition<String> LOCK_TIMEOUT;
    /** The attempts of each statement of a plain changeset that times out waiting for its lock. */
    public static final ConfigurationDefinition<Integer> MAX_ATTEMPTS;

    static {
        ConfigurationDefinition.Builder builder = new ConfigurationDefinition.Builder("flagway");
        ENABLED = builder.define("enabled", Boolean.class).setDefaultValue(true)
                .setDescription("Whether plain changesets run under Flagway's lint, lock timeout and retries").build();
        LINT = builder.define("lint", String.class).setDefaultValue("fail")
                .setDescription("What unsafe statements in a plain changeset do: fail, warn or off").build();
        LOCK_TIMEOUT = builder.define("lockTimeout", String.class).setDefaultValue("2s")
                .setDescription("How long each statement of a plain changeset may wait for its lock").build();
        MAX_ATTEMPTS = builder.define("maxAttempts", Integer.class).setDefaultValue(10)
                .setDescription("How many times a statement that timed out waiting for its lock is tried").build();
    }

    /** Made by Liquibase's service loader. */
    public FlagwayLiquibaseConfiguration() {
    }
}
