package dev.flagway.examples.boot;

import dev.flagway.DualWrite;
import dev.flagway.FlagRouted;
import dev.flagway.RowKey;
import dev.flagway.TargetingKey;
import dev.flagway.spring.FlagwayRepository;

/**
 * The application's repository as it was, plus Flagway's annotations: the starter injects a proxy
 * that routes each call by the user's stage of migration {@code users-email}.
 */
@FlagwayRepository(migration = "users-email")
public interface UserRepository {
    /** The user's address as the application shows it (trimmed, lower-case), or null. */
    @FlagRouted
    String email(@TargetingKey long id);

    /** Changes the user's address. */
    @DualWrite
    void updateEmail(@TargetingKey @RowKey long id, String email);
}
