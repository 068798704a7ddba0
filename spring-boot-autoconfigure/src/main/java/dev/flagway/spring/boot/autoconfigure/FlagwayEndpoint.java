package dev.flagway.spring.boot.autoconfigure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flagway.routing.Flagway;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.breaker.WindowSnapshot;
import dev.flagway.contract.ContractRefusedException;
import dev.flagway.lifecycle.IllegalMoveException;
import dev.flagway.lifecycle.LifecycleConflictException;
import dev.flagway.lifecycle.LifecycleMove;
import dev.flagway.lifecycle.MigrationLifecycle;
import dev.flagway.lifecycle.MigrationLifecycles;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.lang.Nullable;

/**
 * {@code /actuator/flagway}: every migration of this instance — its lifecycle status (phase, flag, backfill,
 * verifications, pending repairs, bad rows, the contract gate's every condition, the legal next moves;
 * the JSON of {@link dev.flagway.lifecycle.MigrationStatus#toJson()}), its flag as the fleet stores it and
 * its breaker here — and the operator's moves on one migration, {@code POST /actuator/flagway/{migration}}
 * with {@code action}, {@code reason} (and {@code percent} for {@code live} and {@code rollout-cap}):
 * <ul>
 *   <li>the lifecycle's moves: {@code expand}, {@code dual-write}, {@code backfill}, {@code verify},
 *       {@code shadow}, {@code live}, {@code ramp-down}, {@code complete}, {@code rollback} (to dual
 *       write), {@code undo-expand}, {@code contract} (the backfill and the verification run to their
 *       end inside the request: for a large table use the command line);</li>
 *   <li>the automatic rollout's moves: {@code rollout-start}, {@code rollout-pause}, {@code rollout-resume},
 *       {@code rollout-cap} (with {@code percent}); the fleet's rollout controllers do the rest;</li>
 *   <li>{@code reset-breaker}: closes this instance's breaker (the breaker is per instance);</li>
 *   <li>{@code disable-flag} / {@code enable-flag}: takes the whole fleet off the new path, or back on it,
 *       through the audited flag store.</li>
 * </ul>
 * The actor is the authenticated principal when there is one, else the request's {@code actor}. A move
 * without an actor or a reason, for an unknown migration or action, is answered 400; a move the
 * lifecycle refuses (illegal in the phase, evidence missing, another instance moved first, the gate
 * refused) 409, with the reason and the legal next moves. Neither changes anything. Every move is logged.
 */
@Endpoint(id = "flagway")
final class FlagwayEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(FlagwayEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Flagway flagway;
    private final FleetFlags flags;
    private final MigrationLifecycles lifecycles;

    /**
     * The endpoint over {@code flagway}; {@code flags} is null when the flags live outside Flagway,
     * {@code lifecycles} when there is no lifecycle (no Flagway flag store, or no dialect for the server).
     */
    FlagwayEndpoint(Flagway flagway, @Nullable FleetFlags flags, @Nullable MigrationLifecycles lifecycles) {
        this.flagway = flagway;
        this.flags = flags;
        this.lifecycles = lifecycles;
    }

    /** Every migration's lifecycle, flag and breaker. */
    @ReadOperation
    public Map<String, Object> migrations() {
        Map<String, Object> migrations = new LinkedHashMap<>();
        for (MigrationRuntime runtime : flagway.migrations()) {
            migrations.put(runtime.migration().id(), describe(runtime));
        }
        return Map.of("migrations", migrations);
    }

    /** One migration's lifecycle, flag and breaker; 404 for a migration that is not configured. */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> migration(@Selector String migration) {
        return flagway.migrations().stream().filter(r -> r.migration().id().equals(migration)).findFirst()
                .map(runtime -> new WebEndpointResponse<>(describe(runtime)))
                .orElseGet(() -> answer(WebEndpointResponse.STATUS_NOT_FOUND, unknown(migration), List.of()));
    }

    /**
     * One of the operator's moves on {@code migration}.
     *
     * @return the migration after the move (200), or why nothing was done (400, 409)
     */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> move(@Selector String migration, String action, String reason,
                                                         @Nullable String actor, @Nullable Double percent,
                                                         SecurityContext security) {
        try {
            MigrationRuntime runtime = flagway.migrations().stream().filter(r -> r.migration().id().equals(migration))
                    .findFirst().orElseThrow(() -> new BadMove(unknown(migration)));
            String who = actor(security, actor);
            if (reason == null || reason.isBlank()) {
                throw new BadMove("a reason is required for " + action + " of migration '" + migration + "'");
            }
            perform(runtime, action == null ? "" : action, who, reason, percent);
            LOG.warn("Operator move on migration '{}': {} by {} ({})", migration, action, who, reason);
            return new WebEndpointResponse<>(describe(runtime));
        } catch (BadMove | IllegalArgumentException e) {
            return answer(WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage(), List.of());
        } catch (IllegalMoveException e) {
            return answer(409, e.getMessage(), e.legalMoves().stream().map(LifecycleMove::name).toList());
        } catch (LifecycleConflictException | ContractRefusedException e) {
            return answer(409, e.getMessage(), List.of());
        }
    }

    private void perform(MigrationRuntime runtime, String action, String actor, String reason, Double percent) {
        String id = runtime.migration().id();
        switch (action) {
            case "reset-breaker" -> runtime.breaker().reset(actor);
            case "disable-flag" -> flags(action).disable(runtime.migration().flagKey(), actor, reason);
            case "enable-flag" -> flags(action).enable(runtime.migration().flagKey(), actor, reason);
            case "expand" -> lifecycle(id, action).expand(actor, reason);
            case "dual-write" -> lifecycle(id, action).startDualWrite(actor, reason);
            case "backfill" -> lifecycle(id, action).backfill(actor, reason);
            case "verify" -> lifecycle(id, action).verify(actor, reason);
            case "shadow" -> lifecycle(id, action).shadow(actor, reason);
            case "live" -> lifecycle(id, action).live(required(percent, action), actor, reason);
            case "ramp-down" -> lifecycle(id, action).rampDown(actor, reason);
            case "complete" -> lifecycle(id, action).complete(actor, reason);
            case "rollback" -> lifecycle(id, action).rollbackToDualWrite(actor, reason);
            case "undo-expand" -> lifecycle(id, action).undoExpand(actor, reason);
            case "contract" -> lifecycle(id, action).contract(actor, reason);
            case "rollout-start" -> lifecycle(id, action).startRollout(actor, reason);
            case "rollout-pause" -> lifecycle(id, action).pauseRollout(actor, reason);
            case "rollout-resume" -> lifecycle(id, action).resumeRollout(actor, reason);
            case "rollout-cap" -> lifecycle(id, action).capRollout(required(percent, action), actor, reason);
            default -> throw new BadMove("unknown action '" + action + "'; expected one of " + ACTIONS);
        }
    }

    private static final String ACTIONS = "expand, dual-write, backfill, verify, shadow, live, ramp-down, complete, "
            + "rollback, undo-expand, contract, rollout-start, rollout-pause, rollout-resume, rollout-cap, "
            + "reset-breaker, disable-flag, enable-flag";

    private static double required(Double percent, String action) {
        if (percent == null) {
            throw new BadMove(action + " needs a percent (0 < percent <= 100)");
        }
        return percent;
    }

    private static WebEndpointResponse<Map<String, Object>> answer(int status, String error, List<String> legalMoves) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        if (!legalMoves.isEmpty()) {
            body.put("legalMoves", legalMoves);
        }
        return new WebEndpointResponse<>(body, status);
    }

    private String unknown(String id) {
        return "no migration '" + id + "' is configured; known: "
                + flagway.migrations().stream().map(r -> r.migration().id()).toList();
    }

    private FleetFlags flags(String action) {
        if (flags == null) {
            throw new BadMove(action + " needs Flagway's flag store (flagway.provider.enabled=true); "
                    + "change the flag in the flag service that holds it");
        }
        return flags;
    }

    private MigrationLifecycle lifecycle(String id, String action) {
        if (lifecycles == null) {
            throw new BadMove(action + " needs the migration lifecycle: Flagway's flag store "
                    + "(flagway.provider.enabled=true) and a Dialect bean (flagway-jdbc-postgres or flagway-jdbc-mysql)");
        }
        try {
            return lifecycles.lifecycle(id);
        } catch (IllegalArgumentException e) {
            throw new BadMove(e.getMessage());
        }
    }

    private static String actor(SecurityContext security, String actor) {
        Principal principal = security == null ? null : security.getPrincipal();
        if (principal != null && principal.getName() != null && !principal.getName().isBlank()) {
            return principal.getName();
        }
        if (actor == null || actor.isBlank()) {
            throw new BadMove("an actor is required (or an authenticated principal)");
        }
        return actor;
    }

    private Map<String, Object> describe(MigrationRuntime runtime) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("flagKey", runtime.migration().flagKey());
        out.put("table", runtime.migration().table());
        out.put("legacyColumn", runtime.migration().legacyColumn());
        out.put("newColumn", runtime.migration().newColumn());
        out.put("lifecycle", lifecycleStatus(runtime.migration().id()));
        out.put("flag", flags == null ? Map.of("store", "external") : flags.describe(runtime.migration().flagKey()));
        out.put("breaker", breaker(runtime.breaker()));
        return out;
    }

    /** The lifecycle's status as its own stable JSON, or why there is none. */
    private Object lifecycleStatus(String id) {
        if (lifecycles == null) {
            return Map.of("available", false, "why", "needs Flagway's flag store and a Dialect bean");
        }
        try {
            return JSON.readTree(lifecycles.lifecycle(id).status().toJson());
        } catch (IllegalArgumentException e) {
            return Map.of("available", false, "why", e.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the lifecycle status of '" + id + "' is not valid JSON", e);
        }
    }

    private static Map<String, Object> breaker(CircuitBreaker breaker) {
        WindowSnapshot window = breaker.snapshot();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", breaker.state().name().toLowerCase(Locale.ROOT));
        out.put("calls", window.calls());
        out.put("failures", window.failures());
        out.put("errorRate", window.errorRate());
        out.put("modernP95Millis", window.modernP95().toNanos() / 1e6);
        out.put("legacyP95Millis", window.legacyP95().toNanos() / 1e6);
        out.put("comparisons", window.comparisons());
        out.put("mismatches", window.mismatches());
        return out;
    }

    /** A request the endpoint cannot act on: answered 400. */
    private static final class BadMove extends RuntimeException {
        BadMove(String message) {
            super(message, null, false, false);
        }
    }
}
