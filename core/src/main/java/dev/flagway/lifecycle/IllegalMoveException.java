package dev.flagway.lifecycle;

import dev.flagway.FlagwayException;
import java.util.List;

/**
 * A lifecycle move refused: it is not legal from the current phase, or its evidence is missing. The
 * message names the move, the phase, the reason and the legal next moves; nothing was changed.
 */
public final class IllegalMoveException extends FlagwayException {
    private static final long serialVersionUID = 1L;

    private final String migrationId;
    private final LifecycleMove move;
    private final LifecyclePhase phase;
    private final String reason;
    private final List<LifecycleMove> legalMoves;

    IllegalMoveException(String migrationId, LifecycleMove move, LifecyclePhase phase, String reason,
                         List<LifecycleMove> legalMoves) {
        super("migration '" + migrationId + "': " + move.value() + " refused at " + phase.value() + ": " + reason
                + "; legal next moves: " + (legalMoves.isEmpty() ? "none"
                        : String.join(", ", legalMoves.stream().map(LifecycleMove::value).toList())));
        this.migrationId = migrationId;
        this.move = move;
        this.phase = phase;
        this.reason = reason;
        this.legalMoves = List.copyOf(legalMoves);
    }

    /** The migration. */
    public String migrationId() {
        return migrationId;
    }

    /** The refused move. */
    public LifecycleMove move() {
        return move;
    }

    /** The phase it was refused at. */
    public LifecyclePhase phase() {
        return phase;
    }

    /** Why, without the list of moves. */
    public String reason() {
        return reason;
    }

    /** The moves legal from {@link #phase()}. */
    public List<LifecycleMove> legalMoves() {
        return legalMoves;
    }
}
