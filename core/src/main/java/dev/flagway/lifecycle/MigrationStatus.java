package dev.flagway.lifecycle;

import dev.flagway.backfill.Checkpoint;
import dev.flagway.contract.ContractDecision;
import dev.flagway.internal.JsonText;
import dev.flagway.verify.VerificationLog;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Where one migration stands, read at one moment: the lifecycle's phase, the flag, the backfill, the
 * latest verifications, the rows still needing attention, the contract gate's decision with every
 * condition, and the legal next moves. {@link #toJson()} gives it a stable JSON form (fixed key
 * order, absent values as {@code null}, times in ISO-8601 UTC).
 *
 * @param state the lifecycle's persisted state
 * @param flag the flag, or null when it does not exist yet
 * @param backfill the backfill's checkpoint, or null when it never ran
 * @param verifications the latest verifications, newest last (at most {@link #VERIFICATIONS_SHOWN})
 * @param pendingRepairs keys whose modern write failed and awaits repair
 * @param unresolvedBadRows rows the backfill could not migrate, unresolved
 * @param gate the contract gate's decision now
 * @param legalMoves the moves the phase allows (evidence aside)
 * @param readAt when it was read
 * @param backfillProgress the backfill's progress against the table's estimated size, rate and ETA
 * @param lockBlockers the sessions holding or queued for locks on the table now, or why they could not be read
 * @param rollout the automatic rollout: plan, position, next step, cap, halt reason, each instance's health
 */
public record MigrationStatus(LifecycleState state, FlagPosition flag, Checkpoint backfill,
                              List<VerificationLog.Entry> verifications, long pendingRepairs, long unresolvedBadRows,
                              ContractDecision gate, List<LifecycleMove> legalMoves, Instant readAt,
                              BackfillEstimate backfillProgress, LockBlockers lockBlockers,
                              RolloutReport rollout) {
    /** How many of the latest verifications a status shows. */
    public static final int VERIFICATIONS_SHOWN = 5;

    /** Copies the lists. */
    public MigrationStatus {
        verifications = List.copyOf(verifications);
        legalMoves = List.copyOf(legalMoves);
    }

    /**
     * The status as one JSON object:
     * <pre>{@code
     * {"migration":"users-email","phase":"live","livePercent":10.0,"version":7,"updatedAt":"...","updatedBy":"...",
     *  "lastMove":"...","flag":{"base":"shadow","rolloutStage":"live","rolloutPercent":10.0,"enabled":true,
     *  "disabledReason":null},"backfill":{"state":"COMPLETED","lastKey":"1000","rowsDone":1000,"rowsUpdated":1000,
     *  "updatedAt":"...","finishedAt":"..."},"verifications":[{"verifiedAt":"...","stage":"dual_write",
     *  "passed":true,"summary":"..."}],"pendingRepairs":0,"unresolvedBadRows":0,"gate":{"allowed":false,
     *  "met":["..."],"unmet":["..."]},"legalMoves":["backfill","verify","live","ramp-down","rollback-to-dual-write"],
     *  "readAt":"...","backfillProgress":{"rowsDone":1000,"rowsUpdated":1000,"estimatedTotal":1000,
     *  "percent":100.0,"rowsPerSecond":null,"etaMillis":0,"throttle":null,"source":"none"},
     *  "lockBlockers":{"readable":true,"problem":null,"sessions":[{"id":4242,"state":"idle in transaction",
     *  "lockMode":"RowExclusiveLock","lockWaitMillis":null,"transactionAgeMillis":5300,"blockedBy":[],
     *  "query":"..."}]},
     *  "rollout":{"steps":[1.0,10.0,50.0,100.0],"hold":"PT10M","state":"running","currentStep":10.0,
     *  "nextStep":50.0,"nextStepDue":"...","cap":100.0,"note":"...","judgement":"healthy so far: ...",
     *  "flagInstruction":null,"instances":[{"instance":"web-1:4242:5f3a9c1e","breakerState":"closed","calls":1200,
     *  "errors":0,"fallbacks":0,"comparisons":12,"mismatches":0,"modernP95Ms":3.2,"legacyP95Ms":2.9,
     *  "updatedAt":"..."}]}}
     * }</pre>
     */
    public String toJson() {
        Json j = new Json();
        j.open('{');
        j.field("migration").string(state.migrationId());
        j.field("phase").string(state.phase().value());
        j.field("livePercent").number(state.livePercent());
        j.field("version").number(state.version());
        j.field("updatedAt").time(state.updatedAt());
        j.field("updatedBy").string(state.updatedBy());
        j.field("lastMove").string(state.lastMove());
        j.field("flag");
        if (flag == null) {
            j.nullValue();
        } else {
            j.open('{');
            j.field("base").string(flag.base().flagValue());
            j.field("rolloutStage").string(flag.rolloutStage() == null ? null : flag.rolloutStage().flagValue());
            j.field("rolloutPercent").number(flag.rolloutPercent());
            j.field("enabled").bool(flag.enabled());
            j.field("disabledReason").string(flag.disabledReason());
            j.close('}');
        }
        j.field("backfill");
        if (backfill == null) {
            j.nullValue();
        } else {
            j.open('{');
            j.field("state").string(backfill.state().name());
            j.field("lastKey").string(backfill.lastKey());
            j.field("rowsDone").number(backfill.rowsDone());
            j.field("rowsUpdated").number(backfill.rowsUpdated());
            j.field("updatedAt").time(backfill.updatedAt());
            j.field("finishedAt").time(backfill.finishedAt());
            j.close('}');
        }
        j.field("verifications").open('[');
        for (VerificationLog.Entry v : verifications) {
            j.element().open('{');
            j.field("verifiedAt").time(v.verifiedAt());
            j.field("stage").string(v.stage() == null ? null : v.stage().flagValue());
            j.field("passed").bool(v.passed());
            j.field("summary").string(v.summary());
            j.close('}');
        }
        j.close(']');
        j.field("pendingRepairs").number(pendingRepairs);
        j.field("unresolvedBadRows").number(unresolvedBadRows);
        j.field("gate").open('{');
        j.field("allowed").bool(gate.allowed());
        j.field("met").strings(gate.met());
        j.field("unmet").strings(gate.unmet());
        j.close('}');
        j.field("legalMoves").strings(legalMoves.stream().map(LifecycleMove::value).toList());
        j.field("readAt").time(readAt);
        StatusJson.progressAndBlockers(j, backfillProgress, lockBlockers);
        rolloutJson(j);
        j.close('}');
        return j.toString();
    }

    /** The {@code rollout} member, last in the object. */
    private void rolloutJson(Json j) {
        j.field("rollout").open('{');
        j.field("steps").open('[');
        for (double step : rollout.plan().steps()) {
            j.element().number(step);
        }
        j.close(']');
        j.field("hold").string(rollout.plan().hold().toString());
        j.field("state").string(rollout.status().value());
        j.field("currentStep").number(rollout.currentStep());
        j.field("nextStep");
        nullableNumber(j, rollout.nextStep());
        j.field("nextStepDue").time(rollout.nextStepDue());
        j.field("cap").number(rollout.cap());
        j.field("note").string(rollout.note());
        j.field("judgement").string(rollout.judgement());
        j.field("flagInstruction").string(rollout.flagInstruction());
        j.field("instances").open('[');
        for (InstanceHealth h : rollout.instances()) {
            j.element().open('{');
            j.field("instance").string(h.instanceId());
            j.field("breakerState").string(h.breakerState());
            j.field("calls").number(h.calls());
            j.field("errors").number(h.errors());
            j.field("fallbacks").number(h.fallbacks());
            j.field("comparisons").number(h.comparisons());
            j.field("mismatches").number(h.mismatches());
            j.field("modernP95Ms");
            nullableNumber(j, h.modernP95Millis());
            j.field("legacyP95Ms");
            nullableNumber(j, h.legacyP95Millis());
            j.field("updatedAt").time(h.updatedAt());
            j.close('}');
        }
        j.close(']');
        j.close('}');
    }

    private static void nullableNumber(Json j, Double value) {
        if (value == null) {
            j.nullValue();
        } else {
            j.number(value);
        }
    }

    /** A minimal JSON writer: commas between members and elements, strings escaped per RFC 8259. */
    static final class Json {
        private final StringBuilder out = new StringBuilder(1024);
        private boolean first = true;

        Json open(char bracket) {
            out.append(bracket);
            first = true;
            return this;
        }

        void close(char bracket) {
            out.append(bracket);
            first = false;
        }

        Json field(String name) {
            element();
            JsonText.quote(out, name);
            out.append(':');
            return this;
        }

        Json element() {
            if (!first) {
                out.append(',');
            }
            first = true; // the member's value (or the element itself) comes next, without a comma
            return this;
        }

        void string(String value) {
            if (value == null) {
                nullValue();
            } else {
                JsonText.quote(out, value);
                first = false;
            }
        }

        void time(Instant value) {
            string(value == null ? null : value.toString());
        }

        void number(double value) {
            out.append(Double.isFinite(value) ? String.format(Locale.ROOT, "%s", value) : "null");
            first = false;
        }

        void number(long value) {
            out.append(value);
            first = false;
        }

        void bool(boolean value) {
            out.append(value);
            first = false;
        }

        void nullValue() {
            out.append("null");
            first = false;
        }

        void strings(List<String> values) {
            open('[');
            for (String v : values) {
                element();
                string(v);
            }
            close(']');
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
