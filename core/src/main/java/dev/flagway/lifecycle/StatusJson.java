package dev.flagway.lifecycle;

import dev.flagway.schema.SessionInfo;
import java.time.Duration;

/** The status's backfill progress and lock blockers in its JSON form. */
final class StatusJson {
    private StatusJson() {
    }

    static void progressAndBlockers(MigrationStatus.Json j, BackfillEstimate b, LockBlockers locks) {
        j.field("backfillProgress").open('{');
        j.field("rowsDone").number(b.rowsDone());
        j.field("rowsUpdated").number(b.rowsUpdated());
        j.field("estimatedTotal").number(b.estimatedTotal());
        j.field("percent").number(b.percent());
        j.field("rowsPerSecond").number(b.rowsPerSecond());
        millis(j.field("etaMillis"), b.eta());
        j.field("throttle").string(b.throttle());
        j.field("source").string(b.source());
        j.close('}');
        j.field("lockBlockers").open('{');
        j.field("readable").bool(locks.readable());
        j.field("problem").string(locks.problem());
        j.field("sessions").open('[');
        for (SessionInfo s : locks.sessions()) {
            j.element().open('{');
            j.field("id").number(s.id());
            j.field("state").string(s.state());
            j.field("lockMode").string(s.lockMode());
            millis(j.field("lockWaitMillis"), s.lockWait());
            millis(j.field("transactionAgeMillis"), s.transactionAge());
            j.field("blockedBy").open('[');
            for (Long id : s.blockedBy()) {
                j.element().number(id);
            }
            j.close(']');
            j.field("query").string(s.query());
            j.close('}');
        }
        j.close(']');
        j.close('}');
    }

    private static void millis(MigrationStatus.Json j, Duration d) {
        if (d == null) {
            j.nullValue();
        } else {
            j.number(d.toMillis());
        }
    }
}
