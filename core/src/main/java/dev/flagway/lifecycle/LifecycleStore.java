package dev.flagway.lifecycle;

import dev.flagway.internal.Connections;
import dev.flagway.internal.tables.Bookkeeping;
import dev.flagway.internal.tables.TableSetup;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.SQLStateClass;

/** The lifecycle table: one row per migration, every change a compare-and-set on its version. */
final class LifecycleStore {
    private final DataSource dataSource;
    private final boolean createTables;
    private final Clock clock;
    private final Bookkeeping.Lifecycle t;

    LifecycleStore(DataSource dataSource, String tableName, boolean createTables, Clock clock) {
        this.dataSource = dataSource;
        this.createTables = createTables;
        this.clock = clock;
        this.t = new Bookkeeping.Lifecycle(Bookkeeping.name("lifecycle table", tableName));
    }

    String tableName() {
        return t.definition().displayName();
    }

    /** The current state; the initial one when no move was made. */
    LifecycleState load(String migrationId) {
        return run(dsl -> dsl.select(t.phase, t.livePercent, t.version, t.updatedAt, t.updatedBy, t.lastMove,
                        t.rolloutState, t.rolloutCap, t.rolloutStepAt, t.rolloutNote)
                .from(t.table).where(t.migrationId.eq(migrationId))
                .fetchOptional(r -> new LifecycleState(migrationId, LifecyclePhase.fromValue(r.value1())
                        .orElseThrow(() -> unknown("phase", r.value1(), migrationId)),
                        r.value2(), r.value3(), r.value4().toInstant(ZoneOffset.UTC), r.value5(), r.value6(),
                        new RolloutState(r.value7() == null ? RolloutStatus.IDLE : RolloutStatus.fromValue(r.value7())
                                .orElseThrow(() -> unknown("rollout state", r.value7(), migrationId)),
                                r.value8() == null ? 100.0 : r.value8(),
                                r.value9() == null ? null : r.value9().toInstant(ZoneOffset.UTC), r.value10())))
                .orElseGet(() -> LifecycleState.initial(migrationId)));
    }

    private IllegalStateException unknown(String what, String value, String migrationId) {
        return new IllegalStateException("lifecycle table " + tableName() + " holds an unknown " + what + " '" + value
                + "' for migration '" + migrationId + "'");
    }

    /**
     * Moves from {@code expected} to {@code phase} if nobody moved since {@code expected} was read.
     *
     * @throws LifecycleConflictException when someone did
     */
    LifecycleState compareAndSet(LifecycleState expected, LifecycleMove move, LifecyclePhase phase, double livePercent,
                                 String actor, String lastMove, RolloutState rollout) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        LocalDateTime at = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
        String text = cut(lastMove);
        String note = rollout.note() == null ? null : cut(rollout.note());
        String state = rollout.status() == RolloutStatus.IDLE ? null : rollout.status().value();
        Double cap = rollout.capped() ? rollout.cap() : null;
        LocalDateTime stepAt = rollout.stepStartedAt() == null ? null
                : LocalDateTime.ofInstant(rollout.stepStartedAt().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
        String id = expected.migrationId();
        long next = expected.version() + 1;
        int changed;
        try {
            changed = run(dsl -> expected.version() == 0
                    ? dsl.insertInto(t.table, t.migrationId, t.phase, t.livePercent, t.version, t.updatedAt, t.updatedBy,
                            t.lastMove, t.rolloutState, t.rolloutCap, t.rolloutStepAt, t.rolloutNote)
                            .values(id, phase.value(), livePercent, next, at, actor, text, state, cap, stepAt, note)
                            .execute()
                    : dsl.update(t.table).set(t.phase, phase.value()).set(t.livePercent, livePercent)
                            .set(t.version, next).set(t.updatedAt, at).set(t.updatedBy, actor).set(t.lastMove, text)
                            .set(t.rolloutState, state).set(t.rolloutCap, cap).set(t.rolloutStepAt, stepAt)
                            .set(t.rolloutNote, note)
                            .where(t.migrationId.eq(id)).and(t.version.eq(expected.version())).execute());
        } catch (DataAccessException e) {
            if (expected.version() == 0 && e.sqlStateClass() == SQLStateClass.C23_INTEGRITY_CONSTRAINT_VIOLATION) {
                changed = 0; // another instance made the first move at the same moment
            } else {
                throw e;
            }
        }
        if (changed != 1) {
            LifecycleState current = load(id);
            throw new LifecycleConflictException(id, move, expected.version(), current.describe() + " at version "
                    + current.version() + ", moved by " + current.updatedBy());
        }
        RolloutState stored = new RolloutState(rollout.status(), rollout.cap(), stepAt == null ? null
                : stepAt.toInstant(ZoneOffset.UTC), note);
        return new LifecycleState(id, phase, livePercent, next, now, actor, text, stored);
    }

    private static String cut(String text) {
        return text.length() <= Bookkeeping.ERROR_LENGTH ? text : text.substring(0, Bookkeeping.ERROR_LENGTH);
    }

    private <T> T run(Function<DSLContext, T> work) {
        return Connections.withDsl(dataSource, "lifecycle table " + tableName(), dsl -> {
            dsl.connection(c -> TableSetup.ensure(dataSource, c, createTables, List.of(t.definition())));
            return work.apply(dsl);
        });
    }
}
