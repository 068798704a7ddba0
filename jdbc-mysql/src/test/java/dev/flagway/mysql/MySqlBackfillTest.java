package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.backfill.Backfill;
import dev.flagway.backfill.BackfillResult;
import dev.flagway.backfill.BackfillSettings;
import dev.flagway.backfill.BackfillState;
import dev.flagway.backfill.Transform;
import dev.flagway.backfill.TransformFailurePolicy;
import dev.flagway.dialect.LockWait;
import dev.flagway.schema.SessionInfo;
import dev.flagway.testing.DualWriteTraffic;
import dev.flagway.verify.VerificationReport;
import dev.flagway.verify.Verifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The backfill engine on MySQL/MariaDB: 200,000 rows under concurrent dual writes, its connection
 * KILLed mid-run, a second runner turned away by the GET_LOCK runner lock, and verification (with
 * the migration's Java transform) at the end.
 */
class MySqlBackfillTest {
    private static final int UNKNOWN_THREAD = 1094;
    private static final int ROWS = 200_000;
    /** The migration's Java transform as one set-based SQL expression; verification checks it against the Java one. */
    private static final Transform SQL_TRANSFORM = Transform.sql(legacy -> DSL.lower(DSL.trim(legacy.cast(String.class))));

    private final MySqlUsers users = new MySqlUsers();
    private DataSource ds;

    @AfterEach
    void dropTables() throws Exception {
        if (ds != null) {
            users.drop(ds);
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void killedMidRunItResumesWithoutSkippingOrRepeatingAndVerificationPasses(Server server) throws Exception {
        ds = server.dataSource();
        users.create(ds, ROWS, false);
        RecordingDataSource recorded = new RecordingDataSource(ds);
        MySqlDialect dialect = MySqlDialect.detect(ds);
        DualWriteTraffic writers = DualWriteTraffic.start(ds, new DualWriteTraffic.Statements(
                "UPDATE `" + users.table + "` SET email = ?, email_normalized = ? WHERE id = ?",
                "UPDATE `" + users.table + "` SET email = ? WHERE id = ?",
                "INSERT INTO `" + users.table + "` (id, email, email_normalized) VALUES (?, ?, ?)",
                "INSERT INTO `" + users.repairs + "` (migration_id, row_key, error, failures, recorded_at)"
                        + " VALUES (?, ?, 'simulated', 1, NOW()) ON DUPLICATE KEY UPDATE failures = failures + 1"),
                users.migration.id(), ROWS, 2);
        AtomicLong killedAfter = new AtomicLong();
        AtomicReference<BackfillResult> second = new AtomicReference<>();
        AtomicReference<CompletableFuture<Long>> kill = new AtomicReference<>();

        Backfill backfill = Backfill.builder(users.migration, recorded, dialect).settings(settings()).transform(SQL_TRANSFORM)
                .listener(p -> {
                    if (second.get() == null && p.rowsDone() >= 10_000) {
                        second.set(Backfill.builder(users.migration, ds, dialect).settings(settings()).build().run());
                    }
                    if (p.rowsDone() >= ROWS / 3 && killedAfter.compareAndSet(0, p.rowsDone())) {
                        kill.set(CompletableFuture.supplyAsync(() -> killWorkConnection(recorded)));
                    }
                    if (p.rowsDone() >= ROWS * 3 / 4) {
                        writers.stop();
                    }
                })
                .build();

        BackfillResult result = backfill.run();
        writers.stop();

        long killedSession = kill.get().join();
        System.out.printf("%s backfill: %d rows walked, %d written (%d by this run), %d repairs drained, %d batches,"
                        + " %d reconnect(s) after KILL %d at %d rows, %d ms, %.0f rows/s; concurrent writes %d%n",
                server, result.rowsDone(), result.rowsUpdated(), result.rowsUpdatedThisRun(), result.repairsDrained(),
                result.batches(), result.reconnects(), killedSession, killedAfter.get(), result.elapsed().toMillis(),
                result.rowsDone() * 1000.0 / result.elapsed().toMillis(), writers.writes());
        assertThat(second.get().state()).isEqualTo(BackfillState.SKIPPED);
        assertThat(result.state()).isEqualTo(BackfillState.COMPLETED);
        assertThat(result.reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(result.rowsDone()).as("keys walked exactly once up to the last key")
                .isEqualTo(Sql.queryLong(ds, "SELECT COUNT(*) FROM `" + users.table + "` WHERE id <= "
                        + backfill.checkpoint().orElseThrow().lastKey()));
        assertThat(Sql.queryLong(ds, "SELECT COUNT(*) FROM `" + users.repairs + "`")).isZero();
        assertThat(writers.writes()).isPositive();
        VerificationReport report = Verifier.builder(users.migration, ds, dialect).chunkSize(20_000).build().verify();
        assertThat(report.passed()).as(report.summary()).isTrue();
        assertThat(report.totalRows()).isEqualTo(ROWS + writers.inserted());
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void everyBatchWalksExactlyItsSizeOverSparseKeysAndTheLastOneWhatIsLeft(Server server) throws Exception {
        ds = server.dataSource();
        users.create(ds, ROWS, false);
        Sql.exec(ds, "DELETE FROM `" + users.table + "` WHERE id % 7 = 0 OR id > 5000");
        List<Long> walked = new CopyOnWriteArrayList<>();

        Backfill backfill = Backfill.builder(users.migration, ds, MySqlDialect.detect(ds))
                .settings(users.settings()
                        .initialBatchSize(1_000).minBatchSize(1_000).maxBatchSize(1_000).build())
                .transform(SQL_TRANSFORM)
                .listener(p -> {
                    if (p.state() == BackfillState.RUNNING) {
                        walked.add(p.rowsDone());
                    }
                })
                .build();

        BackfillResult result = backfill.run();

        assertThat(walked).containsExactly(1_000L, 2_000L, 3_000L, 4_000L, 4_286L);
        assertThat(result.rowsUpdated()).isEqualTo(4_286);
        assertThat(backfill.checkpoint()).hasValueSatisfying(c -> assertThat(c.lastKey()).isEqualTo("5000"));
    }

    /**
     * A row the backfill cannot migrate with a set-based SQL transform: the new column's unique index
     * refuses one derived value, the batch's UPDATE fails as a whole, and the batch is written again
     * row by row under savepoints so that only the refused row is recorded.
     */
    @ParameterizedTest
    @EnumSource(Server.class)
    void skipAndRecordWritesTheRestOfABatchTheDatabaseRefused(Server server) throws Exception {
        ds = server.dataSource();
        users.create(ds, 3_000, false);
        Sql.exec(ds, "CREATE UNIQUE INDEX `" + users.table + "_new` ON `" + users.table + "` (email_normalized)",
                "UPDATE `" + users.table + "` SET email = ' user1@example.com' WHERE id = 1234");
        Backfill backfill = Backfill.builder(users.migration, ds, MySqlDialect.detect(ds))
                .transform(Transform.sql(legacy -> DSL.lower(DSL.trim(legacy.cast(String.class)))))
                .settings(users.settings().initialBatchSize(500).minBatchSize(500).maxBatchSize(500)
                        .transformFailurePolicy(TransformFailurePolicy.SKIP_AND_RECORD).build())
                .build();

        BackfillResult result = backfill.run();

        assertThat(result.state()).isEqualTo(BackfillState.COMPLETED);
        assertThat(result.rowsUpdated()).isEqualTo(3_000 - 1);
        assertThat(Sql.queryLong(ds, "SELECT COUNT(*) FROM `" + users.table + "` WHERE email_normalized IS NULL"))
                .isEqualTo(1);
        assertThat(backfill.badRows(10)).singleElement().satisfies(bad -> {
            assertThat(bad.rowKey()).isEqualTo("1234");
            assertThat(bad.legacyValue()).isEqualTo(" user1@example.com");
            assertThat(bad.error()).contains("Duplicate entry");
        });
    }

    /**
     * An operator tells the backfill's session from the application's by its label, in SHOW
     * PROCESSLIST and in lock diagnostics, also where the performance schema is off (as on the
     * local MariaDB): every statement of the backfill starts with the comment naming it.
     */
    @ParameterizedTest
    @EnumSource(Server.class)
    void theBackfillsStatementsCarryItsLabelWhereTheProcessListShowsIt(Server server) throws Exception {
        ds = server.dataSource();
        users.create(ds, 1_000, false);
        MySqlDialect dialect = MySqlDialect.detect(ds);
        String label = "flagway-backfill:" + users.migration.id();
        try (Session holder = Session.open(ds); Connection inspector = ds.getConnection()) {
            holder.exec("START TRANSACTION", "SELECT * FROM `" + users.table + "` WHERE id = 500 FOR UPDATE");
            CompletableFuture<BackfillResult> run = CompletableFuture.supplyAsync(() -> Backfill.builder(
                    users.migration, ds, dialect).settings(settings()).transform(SQL_TRANSFORM).build().run());

            AtomicReference<LockWait> waiting = new AtomicReference<>();
            Session.await(Duration.ofSeconds(10), () -> {
                dialect.lockWaits(inspector).stream().filter(w -> w.blocked().applicationName().equals(label)).findFirst()
                        .ifPresent(waiting::set);
                return waiting.get() != null;
            });

            assertThat(waiting.get()).as("a lock wait of the session labelled %s", label).isNotNull();
            assertThat(waiting.get().blocked().query()).startsWith("/* " + label + " */ ");
            assertThat(waiting.get().blockers()).extracting(SessionInfo::id).contains(holder.id());
            assertThat(processListInfo(inspector, waiting.get().blocked().id())).startsWith("/* " + label + " */ ");
            holder.exec("ROLLBACK");
            assertThat(run.get(30, TimeUnit.SECONDS).state()).isEqualTo(BackfillState.COMPLETED);
        }
    }

    private static String processListInfo(Connection c, long sessionId) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW FULL PROCESSLIST")) {
            while (rs.next()) {
                if (rs.getLong("Id") == sessionId) {
                    return rs.getString("Info");
                }
            }
        }
        return null;
    }

    private BackfillSettings settings() {
        return users.settings().maxBatchSize(5_000).build();
    }

    /**
     * KILLs the backfill's work connection: one of the ids it opened, not the one holding the runner
     * lock. A connection the engine closes between the look-up and the KILL (error 1094, unknown
     * thread) is looked up again.
     */
    private long killWorkConnection(RecordingDataSource recorded) {
        try (Connection admin = ds.getConnection()) {
            for (int attempt = 1; ; attempt++) {
                long work = workConnection(admin, recorded);
                try {
                    Sql.exec(admin, "KILL CONNECTION " + work);
                    return work;
                } catch (SQLException e) {
                    if (e.getErrorCode() != UNKNOWN_THREAD || attempt == 20) {
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long workConnection(Connection admin, RecordingDataSource recorded) throws SQLException {
        long lockHolder;
        try (PreparedStatement s = admin.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            s.setString(1, MySqlRunnerLock.lockName(admin.getCatalog(), users.migration.id()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                lockHolder = rs.getLong(1);
            }
        }
        String own = recorded.ids().stream().filter(id -> id != lockHolder).map(String::valueOf)
                .collect(Collectors.joining(","));
        return Sql.queryLong(admin, "SELECT MAX(ID) FROM information_schema.PROCESSLIST WHERE ID IN (" + own + ")");
    }
}
