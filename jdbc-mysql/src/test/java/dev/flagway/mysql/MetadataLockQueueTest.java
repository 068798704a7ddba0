package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.schema.StatementOutcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The metadata-lock queue: an open transaction has read the table, so an ALTER must wait for its
 * exclusive metadata lock, and every query behind the waiting ALTER waits too. With the library the
 * ALTER gives up after the lock wait timeout (also a sub-second one), backs off (letting the queue
 * drain) and retries, so 8 readers never stall longer than that timeout plus a margin; a plain ALTER
 * stalls them until the transaction ends.
 */
class MetadataLockQueueTest {
    private static final Duration LOCK_WAIT = Duration.ofSeconds(1);
    private static final Duration MARGIN = Duration.ofSeconds(2);
    private static final Duration SUB_SECOND_LOCK_WAIT = Duration.ofMillis(250);
    /** Well below the second that whole-second lock waits stall readers for, well above the 250 ms wait. */
    private static final Duration SUB_SECOND_BOUND = Duration.ofMillis(800);
    /** How long the blocking transaction stays open once the ALTER is queued. */
    private static final Duration BLOCKED_FOR = Duration.ofSeconds(4);
    private static final int ROWS = 1_000;
    private static final int READERS = 8;

    private DataSource ds;
    private String table;

    @AfterEach
    void dropTable() throws Exception {
        if (table != null) {
            Sql.drop(ds, table);
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void theLibrarysAddColumnRetriesWithoutStallingReaders(Server server) throws Exception {
        Duration stall = libraryAddColumnBehindALongTransaction(server, LOCK_WAIT);

        assertThat(stall).isLessThan(LOCK_WAIT.plus(MARGIN));
    }

    /**
     * {@code lock_wait_timeout} counts whole seconds; a shorter lock wait is kept by cancelling the
     * waiting ALTER, so no reader waits behind it for a second.
     */
    @ParameterizedTest
    @EnumSource(Server.class)
    void aSubSecondLockWaitKeepsEveryReaderStallWellBelowASecond(Server server) throws Exception {
        Duration stall = libraryAddColumnBehindALongTransaction(server, SUB_SECOND_LOCK_WAIT);

        assertThat(stall).isLessThan(SUB_SECOND_BOUND);
    }

    /** The readers' longest query while the library adds a column behind a long transaction. */
    private Duration libraryAddColumnBehindALongTransaction(Server server, Duration lockWait) throws Exception {
        setUp(server);
        MySqlDialect dialect = MySqlDialect.builder(ds)
                .settings(MySqlSettings.custom().lockWaitTimeout(lockWait).build()).build();
        SchemaExecutor ddl = new SchemaExecutor(ds, dialect, DdlSettings.custom().onlineLockTimeout(lockWait)
                .maxAttempts(30).initialBackoff(Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(1)).build());

        try (Session holder = Session.open(ds)) {
            holder.exec("START TRANSACTION", "SELECT COUNT(*) FROM `" + table + "`");
            Readers readers = Readers.start(ds, table, READERS, ROWS);
            Thread.sleep(300);
            CompletableFuture<List<StatementOutcome>> altered = CompletableFuture.supplyAsync(() -> ddl.apply(
                    List.of(SchemaOperation.addColumn(table, "email_normalized", SQLDataType.VARCHAR(320)))));
            Thread.sleep(BLOCKED_FOR.toMillis());
            assertThat(altered).isNotDone();
            holder.exec("COMMIT");
            List<StatementOutcome> outcomes = altered.get(20, TimeUnit.SECONDS);
            Thread.sleep(300);
            readers.close();

            System.out.printf("%s library ADD COLUMN, lock wait %d ms: %d attempts, readers' longest query %d ms"
                            + " over %d queries%n", server, lockWait.toMillis(), outcomes.get(0).attempts(),
                    readers.maxStall().toMillis(), readers.queries());
            assertThat(readers.failures()).isEmpty();
            assertThat(outcomes).singleElement().extracting(StatementOutcome::attempts).asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.INTEGER).isGreaterThan(1);
            assertThat(Sql.columns(ds, table)).contains("email_normalized");
            return readers.maxStall();
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void aPlainAlterStallsReadersUntilTheTransactionEnds(Server server) throws Exception {
        setUp(server);
        try (Session holder = Session.open(ds); Session alter = Session.open(ds)) {
            holder.exec("START TRANSACTION", "SELECT COUNT(*) FROM `" + table + "`");
            Readers readers = Readers.start(ds, table, READERS, ROWS);
            Thread.sleep(300);
            alter.exec("SET SESSION lock_wait_timeout = 60");
            CompletableFuture<Void> altered = alter.execAsync("ALTER TABLE `" + table + "` ADD COLUMN w INT");
            Thread.sleep(BLOCKED_FOR.toMillis());
            holder.exec("COMMIT");
            altered.get(20, TimeUnit.SECONDS);
            Thread.sleep(300);
            readers.close();

            System.out.printf("%s plain ALTER: readers' longest query %d ms over %d queries%n", server,
                    readers.maxStall().toMillis(), readers.queries());
            assertThat(readers.failures()).isEmpty();
            assertThat(readers.maxStall()).isGreaterThan(LOCK_WAIT.plus(MARGIN));
        }
    }

    private void setUp(Server server) throws Exception {
        ds = server.dataSource();
        table = Sql.table("mdlq");
        Sql.exec(ds, "CREATE TABLE `" + table + "` (id INT PRIMARY KEY, v INT)",
                "INSERT INTO `" + table + "` SELECT d1.n * 100 + d2.n * 10 + d3.n + 1, 0 FROM "
                        + digits("d1") + " CROSS JOIN " + digits("d2") + " CROSS JOIN " + digits("d3"));
    }

    static String digits(String alias) {
        return "(SELECT 0 n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL"
                + " SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) " + alias;
    }
}
