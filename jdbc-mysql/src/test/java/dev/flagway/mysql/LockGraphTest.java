package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.dialect.LockWait;
import dev.flagway.schema.SessionInfo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The blocker logic of every metadata-lock source, on hand-made snapshots (no server needed). */
class LockGraphTest {
    private static final String WAITING = "Waiting for table metadata lock";
    /** An idle transaction that read the table 10 s ago. */
    private static final ProcessRow HOLDER = new ProcessRow(11, "Sleep", "", null, secs(10), secs(10), "");
    /** An ALTER queued behind it for 3 s. */
    private static final ProcessRow ALTER = new ProcessRow(12, "Query", WAITING,
            "alter table `users` add `email_n` varchar(320), algorithm=instant", secs(3), null, "flagway-ddl");
    /** A reader queued behind the ALTER for 1 s. */
    private static final ProcessRow READER = new ProcessRow(13, "Query", WAITING, "select * from users where id = 1",
            secs(1), null, "");
    /** An unrelated session. */
    private static final ProcessRow BYSTANDER = new ProcessRow(14, "Query", "Sending data", "select 1", secs(1), null, "");
    private static final List<ProcessRow> SESSIONS = List.of(HOLDER, ALTER, READER, BYSTANDER);

    @Test
    void performanceSchemaNamesTheHolderAndTheQueueAheadOfEachWaiter() {
        LockGraph graph = new LockGraph(SESSIONS, List.of(
                lock(11, "SHARED_READ", true),
                lock(12, "SHARED_UPGRADABLE", true),
                lock(12, "EXCLUSIVE", false),
                lock(13, "SHARED_READ", false)), MetadataLockSource.PERFORMANCE_SCHEMA);

        List<LockWait> waits = graph.metadataWaits();

        assertThat(waits).extracting(w -> w.blocked().id()).containsExactly(12L, 13L);
        LockWait alter = waits.get(0);
        assertThat(alter.blocked().lockMode()).isEqualTo("EXCLUSIVE on shop.users");
        assertThat(alter.blocked().lockWait()).isEqualTo(secs(3));
        assertThat(alter.blockers()).extracting(SessionInfo::id).containsExactly(11L);
        assertThat(alter.blockers().get(0).lockMode()).isEqualTo("SHARED_READ");
        assertThat(alter.blockers().get(0).state()).isEqualTo("idle in transaction");
        assertThat(waits.get(1).blockers()).extracting(SessionInfo::id).containsExactly(11L, 12L);
        assertThat(waits.get(1).blocked().blockedBy()).containsExactly(11L, 12L);
    }

    @Test
    void metadataLockInfoFindsTheTableOfAnAlterByTheLockItAlreadyHoldsAndOfAQueryByItsText() {
        LockGraph graph = new LockGraph(SESSIONS, List.of(
                lock(11, "MDL_SHARED_READ", true),
                lock(12, "MDL_SHARED_UPGRADABLE", true)), MetadataLockSource.METADATA_LOCK_INFO);

        List<LockWait> waits = graph.metadataWaits();

        assertThat(waits.get(0).blocked().id()).isEqualTo(12);
        assertThat(waits.get(0).blockers()).extracting(SessionInfo::id).containsExactly(11L);
        assertThat(waits.get(1).blocked().id()).isEqualTo(13);
        assertThat(waits.get(1).blockers()).extracting(SessionInfo::id).containsExactly(11L, 12L);
    }

    @Test
    void withoutLockDataOpenTransactionsOlderThanTheWaitAndEarlierWaitersArePossibleBlockers() {
        ProcessRow youngTransaction = new ProcessRow(15, "Sleep", "", null, secs(2), secs(2), "");
        LockGraph graph = new LockGraph(List.of(HOLDER, ALTER, READER, BYSTANDER, youngTransaction), List.of(),
                MetadataLockSource.PROCESSLIST);

        List<LockWait> waits = graph.metadataWaits();

        assertThat(waits.get(0).blocked().id()).isEqualTo(12);
        assertThat(waits.get(0).blocked().lockMode()).isEqualTo("metadata lock");
        assertThat(waits.get(0).blockers()).extracting(SessionInfo::id).containsExactly(11L);
        assertThat(waits.get(0).blockers().get(0).lockMode()).isEqualTo(LockGraph.POSSIBLE_HOLDER);
        assertThat(waits.get(1).blockers()).extracting(SessionInfo::id).containsExactly(11L, 12L, 15L);
        assertThat(waits.get(1).blockers()).extracting(SessionInfo::lockMode)
                .containsExactly(LockGraph.POSSIBLE_HOLDER, LockGraph.QUEUED_EARLIER, LockGraph.POSSIBLE_HOLDER);
    }

    @Test
    void holdersOfATableAreItsLockOwnersOrWithoutLockDataTheOpenTransactionsAndItsWaiters() {
        List<MetadataLock> locks = List.of(lock(11, "SHARED_READ", true), lock(12, "EXCLUSIVE", false),
                new MetadataLock(14, "shop", "orders", "SHARED_READ", true));

        assertThat(new LockGraph(SESSIONS, locks, MetadataLockSource.PERFORMANCE_SCHEMA).holders("SHOP", "Users"))
                .extracting(SessionInfo::id, SessionInfo::lockMode)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(11L, "SHARED_READ"),
                        org.assertj.core.groups.Tuple.tuple(12L, "EXCLUSIVE (pending)"));
        assertThat(new LockGraph(SESSIONS, List.of(), MetadataLockSource.PROCESSLIST).holders("shop", "users"))
                .extracting(SessionInfo::id).containsExactly(11L, 12L, 13L);
    }

    @Test
    void rowLockWaitsGroupTheBlockersOfEachWaiter() {
        LockGraph graph = new LockGraph(SESSIONS, List.of(), MetadataLockSource.PROCESSLIST);

        List<LockWait> waits = graph.rowWaits(List.of(
                new RowLockEdge(13, "X", 11L, "X", "`shop`.`users`", secs(4)),
                new RowLockEdge(13, "X", 14L, "S", "`shop`.`users`", secs(4)),
                new RowLockEdge(99, "X", null, null, null, null)));

        assertThat(waits).hasSize(2);
        assertThat(waits.get(0).blocked().lockMode()).isEqualTo("row lock X on `shop`.`users`");
        assertThat(waits.get(0).blocked().lockWait()).isEqualTo(secs(4));
        assertThat(waits.get(0).blockers()).extracting(SessionInfo::id).containsExactly(11L, 14L);
        assertThat(waits.get(0).blockers().get(1).lockMode()).isEqualTo("row lock S on `shop`.`users`");
        assertThat(waits.get(1).blocked().state()).isEqualTo("gone");
        assertThat(waits.get(1).blockers()).isEmpty();
    }

    @Test
    void sessionSummariesShowLabelStateAndQuery() {
        SessionInfo alter = ALTER.toSession("EXCLUSIVE", secs(3), List.of(11L));

        assertThat(alter.summary()).isEqualTo("session 12 (flagway-ddl) query: Waiting for table metadata lock, "
                + "EXCLUSIVE, waiting 3000 ms: alter table `users` add `email_n` varchar(320), algorithm=instant");
    }

    private static MetadataLock lock(long session, String mode, boolean granted) {
        return new MetadataLock(session, "shop", "users", mode, granted);
    }

    private static Duration secs(long s) {
        return Duration.ofSeconds(s);
    }
}
