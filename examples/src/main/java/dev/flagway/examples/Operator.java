package dev.flagway.examples;

import dev.flagway.lifecycle.FlagPosition;
import dev.flagway.lifecycle.FlagWriter;
import dev.flagway.lifecycle.MigrationLifecycle;
import dev.flagway.openfeature.FlagAdmin;
import java.time.Instant;
import java.util.Optional;

/**
 * The operator's side of the demo: every move goes through the migration's {@link MigrationLifecycle}
 * (legal moves only, audited as {@link #NAME}), and after each one that moves the flag the operator
 * waits until every application instance serves it.
 */
final class Operator {
    /** Who the operator is in the audit logs. */
    static final String NAME = "demo-operator";

    private final FlagAdmin admin;
    private final String flag;
    private final AppInstance[] instances;

    Operator(FlagAdmin admin, String flag, AppInstance... instances) {
        this.admin = admin;
        this.flag = flag;
        this.instances = instances;
    }

    /** Waits until every instance serves the flag as it is now: after a lifecycle move that changed it. */
    void served() throws InterruptedException {
        long version = admin.get(flag).version();
        for (AppInstance instance : instances) {
            instance.awaitFlagVersion(version);
        }
    }

    /** Since when (real time) the flag has served the new column to every user, if it does now. */
    Optional<Instant> fullyModernSince() {
        return admin.fullyModernSince(flag);
    }

    /**
     * The provider's admin as the lifecycle's flag store, with the flag's history on the gate's clock
     * (the contract gate compares it with that clock's business cycle).
     */
    static FlagWriter flagsOnGateClock(FlagAdmin admin, GateClock clock) {
        return new FlagWriter() {
            @Override
            public Optional<FlagPosition> read(String flagKey) {
                return admin.read(flagKey);
            }

            @Override
            public FlagPosition write(String flagKey, FlagPosition target, String actor, String reason) {
                return admin.write(flagKey, target, actor, reason);
            }

            @Override
            public Optional<Instant> fullyModernSince(String flagKey) {
                return admin.fullyModernSince(flagKey).map(clock::fromReal);
            }
        };
    }
}
