/**
 * What a migration is and where it stands: {@link dev.flagway.Migration} (one column migration and
 * its settings), {@link dev.flagway.Stage} (the flag's stages and what each writes and reads),
 * {@link dev.flagway.FlagwayException} (the root of every Flagway exception) and the annotations a
 * repository interface carries ({@link dev.flagway.FlagRouted @FlagRouted},
 * {@link dev.flagway.DualWrite @DualWrite}, {@link dev.flagway.RowKey @RowKey},
 * {@link dev.flagway.TargetingKey @TargetingKey}). Every other package builds on this one and it
 * depends on none of them but {@code breaker} and {@code internal}; the runtime that routes calls
 * is in {@link dev.flagway.routing}.
 */
package dev.flagway;
