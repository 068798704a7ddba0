package dev.flagway.examples;

import dev.flagway.DualWrite;
import dev.flagway.FlagRouted;
import dev.flagway.RowKey;
import dev.flagway.TargetingKey;

/** The application's repository: the demo wraps two implementations of it with Flagway. */
public interface UserRepository {
    /** The user's e-mail address as the application shows it (normalized). */
    @FlagRouted
    String email(@TargetingKey long id);

    /** Changes the user's e-mail address. */
    @DualWrite
    void updateEmail(@TargetingKey @RowKey long id, String email);
}
