package dev.flagway.spring.boot.autoconfigure;

import dev.flagway.openfeature.FlagAdmin;
import dev.flagway.openfeature.FlagDefinition;
import dev.flagway.openfeature.FlagState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The migration flags as Flagway's own flag store keeps them for the fleet, for the endpoint. Only
 * created when the provider module is present, so that the endpoint works without it.
 */
final class FleetFlags {
    private final FlagAdmin admin;

    FleetFlags(FlagAdmin admin) {
        this.admin = admin;
    }

    void disable(String flagKey, String actor, String reason) {
        admin.disable(flagKey, actor, reason);
    }

    void enable(String flagKey, String actor, String reason) {
        admin.enable(flagKey, actor, reason);
    }

    /** The stored flag: version, enabled, stage and rollout, last change. */
    Map<String, Object> describe(String flagKey) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("store", "flagway");
        FlagState state = admin.find(flagKey).orElse(null);
        out.put("defined", state != null);
        if (state == null) {
            return out;
        }
        FlagDefinition definition = state.definition();
        out.put("version", state.version());
        out.put("enabled", definition.enabled());
        out.put("stage", definition.baseVariant());
        if (definition.hasRollout()) {
            out.put("rolloutStage", definition.rolloutVariant());
            out.put("rolloutPercentage", definition.rolloutPercentage());
        }
        if (definition.disabledReason() != null) {
            out.put("disabledReason", definition.disabledReason());
        }
        out.put("updatedBy", state.updatedBy());
        out.put("updatedAt", state.updatedAt().toString());
        return out;
    }
}
