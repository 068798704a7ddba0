package dev.flagway.config;
/** PLACEHOLDER until the config branch is merged. */
public final class FlagwaySettings {
    private int threads = 2, capacity = 1000;
    public static FlagwaySettings ofDefaults() { return new FlagwaySettings(); }
    public static Builder custom() { return new Builder(); }
    public java.util.Map<String, dev.flagway.Migration> migrations() { return java.util.Map.of(); }
    public java.util.Optional<dev.flagway.Migration> migration(String id) { return java.util.Optional.empty(); }
    public dev.flagway.Stage defaultStage() { return dev.flagway.Stage.OFF; }
    public java.time.Duration flagErrorLogInterval() { return java.time.Duration.ofMinutes(1); }
    public int shadowThreads() { return threads; }
    public int shadowQueueCapacity() { return capacity; }
    public static final class Builder { FlagwaySettings s = new FlagwaySettings();
      public Builder shadowThreads(int n) { s.threads = n; return this; }
      public Builder shadowQueueCapacity(int n) { s.capacity = n; return this; }
      public FlagwaySettings build() { return s; } }
}
