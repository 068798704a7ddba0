package dev.flagway.bench.db;

import com.launchdarkly.sdk.LDContext;
import com.launchdarkly.sdk.server.MigrationStage;
import com.launchdarkly.sdk.server.migrations.Migration;
import com.launchdarkly.sdk.server.migrations.MigrationBuilder;
import com.launchdarkly.sdk.server.migrations.MigrationMethodResult;
import dev.flagway.routing.DualWriteRepository;
import dev.flagway.routing.MigrationRuntime;
import dev.flagway.bench.jmh.EmailRepository;
import dev.flagway.bench.jmh.LaunchDarklyFlags;
import dev.flagway.breaker.CircuitBreaker;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.openfeature.FlagAdmin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Item 9: LaunchDarkly's migration API and Flagway side by side at {@code live} on a real table, while
 * a share of the new path's reads and writes fail with server errors, then while a share of the legacy
 * writes fail. The two take turns operation by operation on disjoint halves of the keys (LaunchDarkly
 * the lower half), a read then a write; every write is read back at once, outside both libraries, to
 * see which columns it reached. LaunchDarkly runs offline ({@link LaunchDarklyFlags}) with its
 * defaults; each of its reads and writes is its own autocommitted statement, as it has no transaction
 * of its own. Flagway runs as in production: transaction runner, repair log, breaker, and its flag in
 * Flagway's provider with the breaker's flag store.
 */
final class LaunchDarklyFailures {
    /** What LaunchDarkly's writers take: the row and its new address. */
    private record Write(long id, String email) {
    }

    private final DataSource pool;
    private final DataSource transactional;
    private final String table;
    private final MigrationRuntime runtime;
    private final FlagAdmin admin;
    private final String repairTable;
    private final MeterRegistry meters;
    private final DbSettings settings;
    private final SplittableRandom random = new SplittableRandom(8);
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param pool plain connections (LaunchDarkly's, and the read-backs)
     * @param transactional the transaction runner's data source (Flagway's repositories)
     * @param runtime Flagway's migration, its flag {@code live} in {@code admin}'s store
     */
    LaunchDarklyFailures(DataSource pool, DataSource transactional, String table, MigrationRuntime runtime,
                         FlagAdmin admin, String repairTable, MeterRegistry meters, DbSettings settings) {
        this.pool = pool;
        this.transactional = transactional;
        this.table = table;
        this.runtime = runtime;
        this.admin = admin;
        this.repairTable = repairTable;
        this.meters = meters;
        this.settings = settings;
    }

    DbResults.PeerFailures run(String database) throws SQLException {
        int half = settings.rows() / 2;
        JdbcEmailRepository ldLegacy = JdbcEmailRepository.legacy(pool, table);
        JdbcEmailRepository ldModern = JdbcEmailRepository.modern(pool, table);
        JdbcEmailRepository fwLegacy = JdbcEmailRepository.legacy(transactional, table);
        JdbcEmailRepository fwModern = JdbcEmailRepository.modern(transactional, table);
        EmailRepository proxy = DualWriteRepository.of(EmailRepository.class).legacy(fwLegacy).modern(fwModern)
                .migration(runtime).wrap();
        AtomicLong tripAt = new AtomicLong(-1);
        AtomicLong flagwayOps = new AtomicLong();
        runtime.breaker().addListener(t -> {
            if (t.to() == CircuitBreaker.State.OPEN) {
                tripAt.compareAndSet(-1, flagwayOps.get());
            }
        });
        try (LaunchDarklyFlags flags = new LaunchDarklyFlags().set(runtime.migration().flagKey(), "live")) {
            Migration<String, Object, Long, Write> ld = new MigrationBuilder<String, Object, Long, Write>(flags.client())
                    .read(id -> MigrationMethodResult.Success(ldLegacy.email(id)),
                            id -> MigrationMethodResult.Success(ldModern.email(id)),
                            (a, b) -> a != null && a.equalsIgnoreCase(b))
                    .write(w -> {
                        ldLegacy.updateEmail(w.id(), w.email());
                        return MigrationMethodResult.Success(Boolean.TRUE);
                    }, w -> {
                        ldModern.updateEmail(w.id(), w.email());
                        return MigrationMethodResult.Success(Boolean.TRUE);
                    })
                    .build().orElseThrow();
            Side launchDarkly = new Side("LaunchDarkly") {
                @Override
                boolean read(long id) {
                    return ld.read(runtime.migration().flagKey(), LDContext.create(Long.toString(id)), MigrationStage.OFF,
                            id).isSuccess();
                }

                @Override
                boolean write(long id, String email) {
                    Migration.MigrationWriteResult<Object> result = ld.write(runtime.migration().flagKey(),
                            LDContext.create(Long.toString(id)), MigrationStage.OFF, new Write(id, email));
                    if (result.getNonAuthoritative().map(r -> !r.isSuccess()).orElse(false)) {
                        silent++;
                    }
                    return result.getAuthoritative().isSuccess();
                }
            };
            Side flagway = new Side("Flagway") {
                @Override
                boolean read(long id) {
                    flagwayOps.incrementAndGet();
                    try {
                        proxy.email(id);
                        return true;
                    } catch (RuntimeException e) {
                        return false;
                    }
                }

                @Override
                boolean write(long id, String email) {
                    flagwayOps.incrementAndGet();
                    try {
                        proxy.updateEmail(id, email);
                        return true;
                    } catch (RuntimeException e) {
                        return false;
                    }
                }
            };
            alternate(launchDarkly, flagway, half, settings.peerWarmOps());
            launchDarkly.reset();
            flagway.reset();
            double rate = settings.tripErrorRate();
            ldModern.failReads(rate);
            ldModern.failWrites(rate);
            fwModern.failReads(rate);
            fwModern.failWrites(rate);
            long opsAtOnset = flagwayOps.get();
            double inlineAtOnset = inlineRepairs();
            long modernReadsAtOnset = fwModern.reads();
            alternate(launchDarkly, flagway, half, settings.peerOps());
            DbResults.PeerPhase ldNew = launchDarkly.phase("new path failing", ldModern.injectedFailures()
                    + ldModern.injectedWriteFailures());
            DbResults.PeerPhase fwNew = flagway.phase("new path failing", fwModern.injectedFailures()
                    + fwModern.injectedWriteFailures());
            MigrationStage ldStageAfter = flags.client().migrationVariation(runtime.migration().flagKey(),
                    LDContext.create("1"), MigrationStage.OFF).getStage();
            long trippedAfter = tripAt.get() < 0 ? -1 : tripAt.get() - opsAtOnset;
            long modernReadsAfterOnset = fwModern.reads() - modernReadsAtOnset;
            boolean flagDisabled = !admin.get(runtime.migration().flagKey()).enabled();
            long repairs = repairs();
            long repairedInline = Math.round(inlineRepairs() - inlineAtOnset);

            ldModern.failReads(0);
            ldModern.failWrites(0);
            fwModern.failReads(0);
            fwModern.failWrites(0);
            runtime.breaker().reset("bench");
            admin.enable(runtime.migration().flagKey(), "bench", "item 9: live again for the legacy-failure phase");
            launchDarkly.reset();
            flagway.reset();
            ldLegacy.failWrites(rate);
            fwLegacy.failWrites(rate);
            alternateWrites(launchDarkly, flagway, half, settings.peerOps() / 2);
            ldLegacy.failWrites(0);
            fwLegacy.failWrites(0);
            return new DbResults.PeerFailures(database, rate, ldNew, fwNew,
                    launchDarkly.phase("legacy write failing", ldLegacy.injectedWriteFailures()),
                    flagway.phase("legacy write failing", fwLegacy.injectedWriteFailures()),
                    ldStageAfter.toString(), trippedAfter, flagDisabled, modernReadsAfterOnset, repairedInline, repairs);
        }
    }

    private void alternate(Side ld, Side flagway, int half, int ops) throws SQLException {
        for (int i = 0; i < ops; i++) {
            boolean write = (i & 1) == 1;
            ld.step(write, random.nextLong(1, half + 1));
            flagway.step(write, half + random.nextLong(1, half + 1));
        }
    }

    private void alternateWrites(Side ld, Side flagway, int half, int ops) throws SQLException {
        for (int i = 0; i < ops; i++) {
            ld.step(true, random.nextLong(1, half + 1));
            flagway.step(true, half + random.nextLong(1, half + 1));
        }
    }

    /**
     * Flagway's failed new-path writes re-derived from the legacy value in their own transaction, so far
     * (zero while the counter, registered on its first event, does not exist yet).
     */
    private double inlineRepairs() {
        Counter inline = meters.find("flagway.repairs").tag("migration", runtime.migration().id())
                .tag("outcome", "inline").counter();
        return inline == null ? 0 : inline.count();
    }

    private long repairs() throws SQLException {
        try (Connection c = pool.getConnection()) {
            return RepairLog.named(repairTable).pending(c, runtime.migration().id(), Integer.MAX_VALUE).size();
        }
    }

    /** One library's operations and what the caller and the table saw of them. */
    private abstract class Side {
        final String library;
        long reads;
        long readErrors;
        long writes;
        long writeErrors;
        long both;
        long legacyOnly;
        long newOnly;
        long neither;
        long acknowledgedIncomplete;
        long silent;

        Side(String library) {
            this.library = library;
        }

        /** Whether the caller got a value. */
        abstract boolean read(long id);

        /** Whether the caller was told the write succeeded. */
        abstract boolean write(long id, String email);

        void step(boolean isWrite, long id) throws SQLException {
            if (!isWrite) {
                reads++;
                if (!read(id)) {
                    readErrors++;
                }
                return;
            }
            writes++;
            String email = "User." + id + "." + sequence.incrementAndGet() + "@Example.com";
            boolean acknowledged = write(id, email);
            if (!acknowledged) {
                writeErrors++;
            }
            try (Connection c = pool.getConnection();
                 PreparedStatement ps = c.prepareStatement("select email, email_normalized from " + table
                         + " where id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    boolean legacy = email.equals(rs.getString(1));
                    boolean modern = email.toLowerCase(Locale.ROOT).equals(rs.getString(2));
                    if (legacy && modern) {
                        both++;
                    } else if (legacy) {
                        legacyOnly++;
                    } else if (modern) {
                        newOnly++;
                    } else {
                        neither++;
                    }
                    if (acknowledged && !(legacy && modern)) {
                        acknowledgedIncomplete++;
                    }
                }
            }
        }

        void reset() {
            reads = readErrors = writes = writeErrors = both = legacyOnly = newOnly = neither = 0;
            acknowledgedIncomplete = silent = 0;
        }

        DbResults.PeerPhase phase(String name, long injected) {
            return new DbResults.PeerPhase(library, name, injected, reads, readErrors, writes, writeErrors, both,
                    legacyOnly, newOnly, neither, acknowledgedIncomplete, silent);
        }
    }
}
