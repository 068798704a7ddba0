package dev.flagway.examples;

import dev.flagway.DualWrite;
import dev.flagway.FlagRouted;
import dev.flagway.RowKey;
import dev.flagway.TargetingKey;

/**
 * The application's repository, as it was before the migration plus the annotations: Flagway wraps
 * a legacy and a modern implementation of it and routes each call by the user's stage.
 */
public interface UserRepository {
    /** The user's e-mail address as the application shows it (trimmed, lower-case), or null. */
    @FlagRouted
    String email(@TargetingKey long id);

    /** Changes the user's e-mail address. */
    @DualWrite
    void updateEmail(@TargetingKey @RowKey long id, String email);

    /** Signs a new user up. */
    @DualWrite
    void create(@TargetingKey @RowKey long id, String email);
}
