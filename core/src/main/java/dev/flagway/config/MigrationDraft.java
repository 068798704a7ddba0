package dev.flagway.config;

import dev.flagway.Migration;
import dev.flagway.ShadowConfig;
import dev.flagway.breaker.BreakerConfig;

/**
 * The builders one bound migration's properties are applied to.
 *
 * @param migration the migration's own settings
 * @param breaker its {@code breaker.*} settings
 * @param shadow its {@code shadow.*} settings
 */
record MigrationDraft(Migration.Builder migration, BreakerConfig.Builder breaker, ShadowConfig.Builder shadow) {

    /** A draft starting from the builders' defaults. */
    static MigrationDraft of(Migration.Builder migration) {
        return new MigrationDraft(migration, BreakerConfig.custom(), ShadowConfig.custom());
    }

    /**
     * The migration.
     *
     * @throws IllegalStateException when the migration builder finds it incomplete or inconsistent
     */
    Migration build() {
        return migration.breaker(breaker.build()).shadow(shadow.build()).build();
    }
}
