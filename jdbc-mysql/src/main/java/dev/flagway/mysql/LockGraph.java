package dev.flagway.mysql;

import dev.flagway.dialect.LockWait;
import dev.flagway.schema.SessionInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Who waits for whom, assembled from one snapshot of the process list, the metadata locks of the
 * chosen {@link MetadataLockSource} and the InnoDB row-lock waits. Pure: no database access, so
 * every source's logic is testable without that server.
 *
 * <p>A metadata-lock waiter waits for the tables it has a pending lock on (performance schema),
 * else the tables it already holds a lock on (a DDL upgrading its lock), else the locked tables its
 * statement names. Its blockers are the other sessions holding a lock on those tables, and the
 * sessions queued there before it. Without lock data ({@link MetadataLockSource#PROCESSLIST}) its
 * possible blockers are the open transactions older than its wait and the earlier waiters.
 */
final class LockGraph {
    /** How a possible blocker is labelled when the server cannot list metadata-lock holders. */
    static final String POSSIBLE_HOLDER = "possibly a metadata lock (open transaction; holders cannot be listed)";
    static final String QUEUED_EARLIER = "waiting for a metadata lock since earlier";

    private final Map<Long, ProcessRow> sessions = new LinkedHashMap<>();
    private final List<MetadataLock> locks;
    private final MetadataLockSource source;

    LockGraph(List<ProcessRow> processes, List<MetadataLock> locks, MetadataLockSource source) {
        processes.forEach(p -> sessions.put(p.id(), p));
        this.locks = List.copyOf(locks);
        this.source = source;
    }

    /** The row-lock waits, one per waiting session, with every blocker named by the server. */
    List<LockWait> rowWaits(List<RowLockEdge> edges) {
        Map<Long, List<RowLockEdge>> byWaiter = new LinkedHashMap<>();
        edges.forEach(e -> byWaiter.computeIfAbsent(e.waiting(), k -> new ArrayList<>()).add(e));
        List<LockWait> waits = new ArrayList<>();
        byWaiter.forEach((waiter, own) -> {
            RowLockEdge first = own.get(0);
            List<Long> blockerIds = own.stream().map(RowLockEdge::blocking).filter(b -> b != null).distinct().toList();
            SessionInfo blocked = session(waiter, rowLock(first.requestedMode(), first.table()), first.waited(), blockerIds);
            List<SessionInfo> blockers = new ArrayList<>();
            for (RowLockEdge e : own) {
                if (e.blocking() != null && blockers.stream().noneMatch(b -> b.id() == e.blocking())) {
                    blockers.add(session(e.blocking(), rowLock(e.blockingMode(), e.table()), null, List.of()));
                }
            }
            waits.add(new LockWait(blocked, blockers));
        });
        return waits;
    }

    /** The metadata-lock waits, one per waiting session. */
    List<LockWait> metadataWaits() {
        List<LockWait> waits = new ArrayList<>();
        for (ProcessRow waiter : sessions.values()) {
            if (!waiter.waitsForMetadataLock()) {
                continue;
            }
            Map<Long, String> blockers = source == MetadataLockSource.PROCESSLIST ? possibleBlockers(waiter)
                    : blockers(waiter);
            String wanted = locks.stream().filter(l -> l.session() == waiter.id() && !l.granted())
                    .map(l -> l.mode() + " on " + l.schema() + "." + l.table()).findFirst()
                    .orElse("metadata lock");
            List<SessionInfo> blockerInfos = new ArrayList<>();
            blockers.forEach((id, mode) -> blockerInfos.add(session(id, mode, null, List.of())));
            waits.add(new LockWait(waiter.toSession(wanted, waiter.inState(), List.copyOf(blockers.keySet())),
                    blockerInfos));
        }
        return waits;
    }

    /**
     * The sessions holding or queued for metadata locks on {@code schema.table}; without lock data,
     * the open transactions (possible holders) and the sessions waiting for a metadata lock whose
     * statement names the table.
     */
    List<SessionInfo> holders(String schema, String table) {
        List<SessionInfo> holders = new ArrayList<>();
        if (source == MetadataLockSource.PROCESSLIST) {
            for (ProcessRow p : sessions.values()) {
                if (p.transactionAge() != null) {
                    holders.add(p.toSession(POSSIBLE_HOLDER, null, List.of()));
                } else if (p.waitsForMetadataLock() && p.mentions(table)) {
                    holders.add(p.toSession("waiting for a metadata lock", p.inState(), List.of()));
                }
            }
            return holders;
        }
        Set<Long> seen = new LinkedHashSet<>();
        for (MetadataLock lock : locks) {
            if (lock.on(schema, table) && seen.add(lock.session())) {
                holders.add(session(lock.session(), lock.describe(), lock.granted() ? null : inState(lock.session()),
                        List.of()));
            }
        }
        return holders;
    }

    /** Holders of, and earlier waiters for, the tables the waiter wants. */
    private Map<Long, String> blockers(ProcessRow waiter) {
        List<MetadataLock> wanted = wantedBy(waiter);
        Map<Long, String> blockers = new LinkedHashMap<>();
        for (MetadataLock lock : locks) {
            if (lock.session() == waiter.id() || wanted.stream().noneMatch(w -> lock.on(w.schema(), w.table()))) {
                continue;
            }
            ProcessRow other = sessions.get(lock.session());
            boolean queuedEarlier = other != null && other.waitsForMetadataLock() && longer(other, waiter);
            if (lock.granted() || queuedEarlier) {
                blockers.merge(lock.session(), lock.describe(), (a, b) -> a + ", " + b);
            }
        }
        return blockers;
    }

    private List<MetadataLock> wantedBy(ProcessRow waiter) {
        List<MetadataLock> pending = mine(waiter, l -> !l.granted());
        if (!pending.isEmpty()) {
            return pending;
        }
        List<MetadataLock> held = mine(waiter, MetadataLock::granted);
        if (!held.isEmpty()) {
            return held;
        }
        return locks.stream().filter(l -> l.session() != waiter.id() && waiter.mentions(l.table())).toList();
    }

    private List<MetadataLock> mine(ProcessRow waiter, Predicate<MetadataLock> which) {
        return locks.stream().filter(l -> l.session() == waiter.id() && which.test(l)).toList();
    }

    /** Open transactions older than the wait, and sessions waiting for a metadata lock since before it. */
    private Map<Long, String> possibleBlockers(ProcessRow waiter) {
        Map<Long, String> blockers = new LinkedHashMap<>();
        for (ProcessRow other : sessions.values()) {
            if (other.id() == waiter.id()) {
                continue;
            }
            if (other.waitsForMetadataLock() && longer(other, waiter)) {
                blockers.put(other.id(), QUEUED_EARLIER);
            } else if (other.transactionAge() != null && waiter.inState() != null
                    && other.transactionAge().compareTo(waiter.inState()) >= 0) {
                blockers.put(other.id(), POSSIBLE_HOLDER);
            }
        }
        return blockers;
    }

    private static boolean longer(ProcessRow a, ProcessRow b) {
        return a.inState() != null && b.inState() != null && a.inState().compareTo(b.inState()) > 0;
    }

    private Duration inState(long id) {
        ProcessRow p = sessions.get(id);
        return p == null ? null : p.inState();
    }

    private SessionInfo session(long id, String lockMode, Duration lockWait, List<Long> blockedBy) {
        ProcessRow p = sessions.get(id);
        if (p == null) {
            return new SessionInfo(id, "", "gone", null, lockMode, null, lockWait, blockedBy);
        }
        return p.toSession(lockMode, lockWait, blockedBy);
    }

    private static String rowLock(String mode, String table) {
        if (mode == null) {
            return table == null ? null : "row lock on " + table;
        }
        return "row lock " + mode + (table == null ? "" : " on " + table);
    }
}
