package dev.flagway.openfeature;

import dev.flagway.FlagStateStore;

/** Core's {@link FlagStateStore} on the flags table: a breaker trip disables the flag for every instance. */
final class DatabaseFlagStateStore implements FlagStateStore {
    private final FlagAdmin admin;

    DatabaseFlagStateStore(FlagAdmin admin) {
        this.admin = admin;
    }

    @Override
    public void disable(String flagKey, String actor, String reason) {
        admin.disableIfEnabled(flagKey, actor, reason);
    }

    @Override
    public String toString() {
        return "DatabaseFlagStateStore[" + admin.tables().flagsTable() + "]";
    }
}
