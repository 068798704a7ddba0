package dev.flagway.routing;

import dev.flagway.Migration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The targeting keys of one migration whose reads must take the legacy column although their stage
 * reads the new one: keys with a pending repair (their modern write failed and could not be repaired
 * in its transaction) and keys of rows the backfill could not migrate. The fleet's set lives in the
 * database and is re-read in the background; a key this instance pins itself counts at once, until a
 * re-read that started after it was pinned no longer finds it. Asking costs one volatile read while
 * nothing is pinned. Above {@link #MAX_KEYS} keys the whole migration reads legacy.
 */
final class PinnedKeys {
    /** More pinned keys than this clamp every read of the migration to the legacy column. */
    static final int MAX_KEYS = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(PinnedKeys.class);
    private static final Snapshot NONE = new Snapshot(Set.of(), false);

    private final String migrationId;
    /** Keys pinned here, with when (System.nanoTime()), until a re-read that started later covers them. */
    private final Map<String, Long> local = new ConcurrentHashMap<>();
    private Set<String> stored = Set.of();
    private boolean overCap;
    private volatile Snapshot snapshot = NONE;

    PinnedKeys(String migrationId) {
        this.migrationId = migrationId;
    }

    /** Whether reads of {@code targetingKey} must take the legacy column. */
    boolean pinned(String targetingKey) {
        Snapshot s = snapshot;
        return s != NONE && (s.all || targetingKey != null && s.keys.contains(targetingKey));
    }

    /** How many keys are pinned now. */
    int size() {
        return snapshot.keys.size();
    }

    /** Pins a key on this instance at once (after the write that pinned it committed). */
    synchronized void pin(String targetingKey) {
        local.put(targetingKey, System.nanoTime());
        publish();
    }

    /**
     * Replaces the fleet's keys with a re-read that started at {@code startedNanos}; keys pinned here
     * before that and missing from it were repaired (or their write rolled back) and are dropped.
     *
     * @param keys the keys read, more than {@link #MAX_KEYS} of them when over the cap
     */
    synchronized void refreshed(long startedNanos, Collection<String> keys) {
        boolean wasOverCap = overCap;
        Set<String> read = new HashSet<>(keys);
        overCap = read.size() > MAX_KEYS;
        stored = read;
        local.values().removeIf(pinnedAt -> pinnedAt - startedNanos < 0);
        if (overCap != wasOverCap) {
            if (overCap) {
                LOG.warn("Migration '{}' has more than {} keys pinned to the legacy column (pending repairs and bad "
                        + "rows); every read of it takes the legacy column until they are fewer: run the backfill to "
                        + "drain the repairs and resolve the bad rows", migrationId, MAX_KEYS);
            } else {
                LOG.warn("Migration '{}' has fewer than {} pinned keys again; reads follow the flag", migrationId, MAX_KEYS);
            }
        }
        publish();
    }

    private void publish() {
        if (stored.isEmpty() && local.isEmpty() && !overCap) {
            snapshot = NONE;
            return;
        }
        Set<String> keys = new HashSet<>(stored);
        keys.addAll(local.keySet());
        snapshot = new Snapshot(keys, overCap);
    }

    /** An immutable view: the keys, or every key. */
    private record Snapshot(Set<String> keys, boolean all) {
    }
}
