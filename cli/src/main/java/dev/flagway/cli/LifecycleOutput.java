package dev.flagway.cli;

import dev.flagway.lifecycle.LifecycleMove;
import dev.flagway.lifecycle.LifecycleState;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How the lifecycle commands print a phase and the moves it allows, in words and as JSON. */
final class LifecycleOutput {
    private LifecycleOutput() {
    }

    /** The moves, comma separated, or {@code none}. */
    static String moves(List<LifecycleMove> moves) {
        return moves.isEmpty() ? "none" : moves.stream().map(LifecycleMove::value).collect(Collectors.joining(", "));
    }

    /** One line: the migration, its phase and version, and the legal next moves. */
    static String line(String verb, LifecycleState state, List<LifecycleMove> legalMoves) {
        return verb + " " + state.migrationId() + ": now " + state.describe() + " (version " + state.version()
                + "); legal next moves: " + moves(legalMoves);
    }

    /** The state as a JSON object. */
    static Map<String, Object> json(LifecycleState state, List<LifecycleMove> legalMoves) {
        Map<String, Object> out = Json.object();
        out.put("migration", state.migrationId());
        out.put("phase", state.phase().value());
        out.put("livePercent", state.livePercent());
        out.put("version", state.version());
        out.put("updatedAt", state.updatedAt());
        out.put("updatedBy", state.updatedBy());
        out.put("lastMove", state.lastMove());
        out.put("rollout", state.rollout().status().value());
        out.put("rolloutCap", state.rollout().cap());
        out.put("rolloutNote", state.rollout().note());
        out.put("legalMoves", legalMoves.stream().map(LifecycleMove::value).toList());
        return out;
    }
}
