/**
 * Configuration from {@code flagway.*} properties: {@link dev.flagway.config.FlagwayProperties} binds
 * them into {@link dev.flagway.config.FlagwaySettings}, reporting every problem at once with the
 * nearest known key.
 */
package dev.flagway.config;
