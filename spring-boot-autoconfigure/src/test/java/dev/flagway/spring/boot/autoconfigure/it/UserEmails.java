package dev.flagway.spring.boot.autoconfigure.it;

import dev.flagway.DualWrite;
import dev.flagway.FlagRouted;
import dev.flagway.RowKey;
import dev.flagway.TargetingKey;

/** The methods every test repository routes; each persistence style's interface extends it. */
public interface UserEmails {
    /** The address, trimmed and lower-case. */
    @FlagRouted
    String email(@TargetingKey long id);

    /** Changes the address of an existing user. */
    @DualWrite
    void updateEmail(@TargetingKey @RowKey long id, String email);
}
