package dev.flagway.spring.boot.autoconfigure;

import dev.flagway.Flagway;
import dev.flagway.MigrationRuntime;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.breaker.WindowSnapshot;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.lang.Nullable;

/**
 * {@code /actuator/flagway}: every migration of this instance — its flag as the fleet stores it (with
 * the provider enabled), its breaker here and the breaker's window — and the operator's moves on one
 * migration, {@code POST /actuator/flagway/{migration}} with {@code action} and {@code reason}:
 * <ul>
 *   <li>{@code reset-breaker}: closes this instance's breaker (the breaker is per instance; call each
 *       instance, or let the window recover by itself);</li>
 *   <li>{@code disable-flag} / {@code enable-flag}: takes the whole fleet off the new path, or back on it,
 *       through the audited flag store (provider enabled only).</li>
 * </ul>
 * The actor is the authenticated principal when there is one, else the request's {@code actor}; a move
 * without an actor or a reason is refused. Every move is logged with both.
 */
@Endpoint(id = "flagway")
final class FlagwayEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(FlagwayEndpoint.class);

    private final Flagway flagway;
    private final FleetFlags flags;

    /** The endpoint over {@code flagway}; {@code flags} is null when the flags live outside Flagway. */
    FlagwayEndpoint(Flagway flagway, @Nullable FleetFlags flags) {
        this.flagway = flagway;
        this.flags = flags;
    }

    /** Every migration's flag and breaker. */
    @ReadOperation
    public Map<String, Object> migrations() {
        Map<String, Object> migrations = new LinkedHashMap<>();
        for (MigrationRuntime runtime : flagway.migrations()) {
            migrations.put(runtime.migration().id(), describe(runtime));
        }
        return Map.of("migrations", migrations);
    }

    /** One migration's flag and breaker. */
    @ReadOperation
    public Map<String, Object> migration(@Selector String migration) {
        return describe(runtime(migration));
    }

    /**
     * One of the operator's moves on {@code migration}.
     *
     * @return the migration after the move
     * @throws InvalidEndpointRequestException for an unknown migration or action, or a missing actor or
     *     reason (answered with HTTP 400)
     */
    @WriteOperation
    public Map<String, Object> move(@Selector String migration, String action, String reason, @Nullable String actor,
                                    SecurityContext security) {
        MigrationRuntime runtime = runtime(migration);
        String who = actor(security, actor);
        if (reason == null || reason.isBlank()) {
            throw refused("a reason is required for " + action + " of migration '" + migration + "'");
        }
        switch (action == null ? "" : action) {
            case "reset-breaker" -> runtime.breaker().reset(who);
            case "disable-flag" -> flags(action).disable(runtime.migration().flagKey(), who, reason);
            case "enable-flag" -> flags(action).enable(runtime.migration().flagKey(), who, reason);
            default -> throw refused("unknown action '" + action
                    + "'; expected one of reset-breaker, disable-flag, enable-flag");
        }
        LOG.warn("Operator move on migration '{}': {} by {} ({})", migration, action, who, reason);
        return describe(runtime);
    }

    private static InvalidEndpointRequestException refused(String why) {
        return new InvalidEndpointRequestException(why, why);
    }

    private MigrationRuntime runtime(String id) {
        return flagway.migrations().stream().filter(r -> r.migration().id().equals(id)).findFirst()
                .orElseThrow(() -> refused("no migration '" + id + "' is configured; known: "
                        + flagway.migrations().stream().map(r -> r.migration().id()).toList()));
    }

    private FleetFlags flags(String action) {
        if (flags == null) {
            throw refused(action + " needs Flagway's flag store (flagway.provider.enabled=true); "
                    + "change the flag in the flag service that holds it");
        }
        return flags;
    }

    private static String actor(SecurityContext security, String actor) {
        Principal principal = security == null ? null : security.getPrincipal();
        if (principal != null && principal.getName() != null && !principal.getName().isBlank()) {
            return principal.getName();
        }
        if (actor == null || actor.isBlank()) {
            throw refused("an actor is required (or an authenticated principal)");
        }
        return actor;
    }

    private Map<String, Object> describe(MigrationRuntime runtime) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("flagKey", runtime.migration().flagKey());
        out.put("table", runtime.migration().table());
        out.put("legacyColumn", runtime.migration().legacyColumn());
        out.put("newColumn", runtime.migration().newColumn());
        out.put("flag", flags == null ? Map.of("store", "external") : flags.describe(runtime.migration().flagKey()));
        out.put("breaker", breaker(runtime.breaker()));
        return out;
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
}
