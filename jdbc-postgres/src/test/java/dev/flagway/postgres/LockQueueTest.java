package dev.flagway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.schema.DdlSettings;
import dev.flagway.schema.SchemaExecutor;
import dev.flagway.schema.SchemaOperation;
import dev.flagway.schema.StatementOutcome;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;

class LockQueueTest {
    private static final long LOCK_TIMEOUT_MS = 400;
    private static final long MARGIN_MS = 1_500;
    private static final long BLOCKER_HOLD_MS = 3_000;

    @Test
    void libraryAddColumnTimesOutAndRetriesWhileQueriesKeepFlowing() throws Exception {
        try (PgFixture f = new PgFixture(1_000, false)) {
            SchemaExecutor ddl = new SchemaExecutor(f.dataSource, new PostgresDialect(), DdlSettings.custom()
                    .lockTimeout(Duration.ofMillis(LOCK_TIMEOUT_MS)).initialBackoff(Duration.ofMillis(100))
                    .maxBackoff(Duration.ofMillis(400)).maxAttempts(40).build());
            List<StatementOutcome> outcomes;
            long maxStall;
            try (Connection blocker = holdTable(f); QueryProbe probe = probe(f)) {
                CompletableFuture<List<StatementOutcome>> expand = CompletableFuture.supplyAsync(() -> ddl.apply(List.of(
                        SchemaOperation.addColumn(f.table, "email_normalized", SQLDataType.VARCHAR(320)))));
                Thread.sleep(BLOCKER_HOLD_MS);
                assertThat(expand).isNotDone();
                blocker.commit();
                outcomes = expand.get(30, TimeUnit.SECONDS);
                Thread.sleep(300);
                probe.close();
                maxStall = probe.maxMillis();
                assertThat(probe.queries()).isGreaterThan(100);
                assertThat(probe.errors()).isZero();
            }
            System.out.printf("library ADD COLUMN: %d attempts, max query stall %d ms (lock timeout %d ms)%n",
                    outcomes.get(0).attempts(), maxStall, LOCK_TIMEOUT_MS);
            assertThat(outcomes.get(0).attempts()).isGreaterThan(1);
            assertThat(maxStall).isLessThan(LOCK_TIMEOUT_MS + MARGIN_MS);
            assertThat(f.count("select count(*) from information_schema.columns where table_name = '" + f.table
                    + "' and column_name = 'email_normalized'")).isEqualTo(1);
        }
    }

    @Test
    void plainAlterWithoutTheLibraryStallsEveryQueryBehindIt() throws Exception {
        try (PgFixture f = new PgFixture(1_000, false)) {
            long maxStall;
            try (Connection blocker = holdTable(f); QueryProbe probe = probe(f)) {
                Thread.sleep(300);
                CompletableFuture<Void> alter = CompletableFuture.runAsync(() -> f.exec(
                        "set lock_timeout = 0; alter table " + f.table + " add column email_normalized varchar(320)"));
                Thread.sleep(BLOCKER_HOLD_MS);
                blocker.commit();
                alter.get(30, TimeUnit.SECONDS);
                Thread.sleep(300);
                probe.close();
                maxStall = probe.maxMillis();
            }
            System.out.printf("plain ALTER: max query stall %d ms%n", maxStall);
            assertThat(maxStall).isGreaterThan(LOCK_TIMEOUT_MS + MARGIN_MS);
        }
    }

    /** An open transaction that has read the table: it holds ACCESS SHARE until it commits. */
    private static Connection holdTable(PgFixture f) throws Exception {
        Connection c = f.dataSource.getConnection();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("select count(*) from " + f.table);
        }
        return c;
    }

    private static QueryProbe probe(PgFixture f) {
        return new QueryProbe(f.dataSource, 8, "select email from " + f.table + " where id = ?", 1_000);
    }
}
