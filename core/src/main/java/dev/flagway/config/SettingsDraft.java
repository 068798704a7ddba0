package dev.flagway.config;

/**
 * The builders the shared ({@code flagway.*}, not per-migration) properties are applied to.
 *
 * @param settings the settings shared by the migrations
 * @param provider the {@code provider.*} settings
 */
record SettingsDraft(FlagwaySettings.Builder settings, ProviderSettings.Builder provider) {

    /** A draft starting from the builders' defaults. */
    static SettingsDraft of() {
        return new SettingsDraft(FlagwaySettings.custom(), ProviderSettings.custom());
    }

    /** The settings, without migrations: the binder adds them. */
    FlagwaySettings.Builder complete() {
        return settings.provider(provider.build());
    }
}
