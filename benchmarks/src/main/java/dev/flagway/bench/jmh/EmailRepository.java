package dev.flagway.bench.jmh;

import dev.flagway.DualWrite;
import dev.flagway.FlagRouted;
import dev.flagway.RowKey;
import dev.flagway.TargetingKey;

/** The repository interface the routing benchmarks wrap, shaped like the README's quick start. */
public interface EmailRepository {
    @FlagRouted
    String email(@TargetingKey long id);

    @DualWrite
    void updateEmail(@TargetingKey @RowKey long id, String email);
}
