package dev.flagway.config;
/** PLACEHOLDER until the config branch is merged. */
public final class FlagwaySettings {
    public static FlagwaySettings ofDefaults() { return new FlagwaySettings(); }
    public java.util.Map<String, dev.flagway.Migration> migrations() { return java.util.Map.of(); }
    public java.util.Optional<dev.flagway.Migration> migration(String id) { return java.util.Optional.empty(); }
    public dev.flagway.Stage defaultStage() { return dev.flagway.Stage.OFF; }
    public java.time.Duration flagErrorLogInterval() { return java.time.Duration.ofMinutes(1); }
    public int shadowThreads() { return 2; }
    public int shadowQueueCapacity() { return 1000; }
}
