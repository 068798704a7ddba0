package dev.flagway.examples;

import dev.flagway.Stage;
import dev.flagway.contract.FlagHistory;
import dev.flagway.openfeature.FlagAdmin;
import dev.flagway.openfeature.FlagState;

/**
 * The operator's side of the demo: every flag change goes through the provider's admin API (audited,
 * version-checked) and is waited for until every application instance serves it.
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

    /** Creates the migration's flag at {@code off}. */
    void create() throws InterruptedException {
        served(admin.createMigrationFlag(flag, Stage.OFF, NAME, "migration planned"));
    }

    /** Serves {@code stage} to every user (a rollout, if any, is folded in). */
    void stage(Stage stage, String reason) throws InterruptedException {
        served(admin.setStage(flag, stage, NAME, reason));
        if (admin.get(flag).definition().hasRollout()) {
            served(admin.clearRollout(flag, NAME, reason));
        }
    }

    /** Serves {@code live} to {@code percent}% of users, the base stage to the others. */
    void rollout(int percent) throws InterruptedException {
        served(admin.setRollout(flag, Stage.LIVE, percent, NAME, "ramp to " + percent + "%"));
    }

    /** Enables the flag again after the breaker disabled it. */
    void enable(String reason) throws InterruptedException {
        served(admin.enable(flag, NAME, reason));
    }

    /** The flag's history from the provider's audit log, on the gate's clock. */
    FlagHistory history(GateClock clock) {
        return key -> admin.servedToEveryKeySince(key, Stage.COMPLETE).map(clock::fromReal);
    }

    private void served(FlagState state) throws InterruptedException {
        for (AppInstance instance : instances) {
            instance.awaitFlagVersion(state.version());
        }
    }
}
