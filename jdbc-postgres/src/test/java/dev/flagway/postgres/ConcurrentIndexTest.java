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
import org.junit.jupiter.api.Test;

class ConcurrentIndexTest {

    @Test
    void failedConcurrentBuildLeavesNoInvalidIndexAfterTheRetry() throws Exception {
        try (PgFixture f = new PgFixture(5_000, false)) {
            String index = f.table + "_email_idx";
            SchemaExecutor ddl = new SchemaExecutor(f.dataSource, new PostgresDialect(), DdlSettings.custom()
                    .onlineLockTimeout(Duration.ofMillis(300)).initialBackoff(Duration.ofMillis(100))
                    .maxBackoff(Duration.ofMillis(300)).maxAttempts(40).build());
            boolean sawInvalid = false;
            List<StatementOutcome> outcomes;
            // An open writing transaction: CREATE INDEX CONCURRENTLY waits for it after registering the
            // index, so the build times out and leaves the index INVALID.
            try (Connection writer = f.dataSource.getConnection()) {
                writer.setAutoCommit(false);
                try (Statement s = writer.createStatement()) {
                    s.execute("insert into " + f.table + " (id, email) values (-1, 'writer@example.com')");
                }
                CompletableFuture<List<StatementOutcome>> build = CompletableFuture.supplyAsync(() -> ddl.apply(List.of(
                        SchemaOperation.createIndex(f.table, index, "email"))));
                long until = System.currentTimeMillis() + 2_500;
                while (System.currentTimeMillis() < until) {
                    sawInvalid |= invalidIndexes(f, index) > 0;
                    Thread.sleep(20);
                }
                writer.commit();
                outcomes = build.get(60, TimeUnit.SECONDS);
            }
            System.out.printf("concurrent index build: %d attempts, INVALID index observed: %s%n",
                    outcomes.get(0).attempts(), sawInvalid);
            assertThat(sawInvalid).isTrue();
            assertThat(outcomes.get(0).attempts()).isGreaterThan(1);
            assertThat(invalidIndexes(f, index)).isZero();
            assertThat(f.count("select count(*) from pg_index where indisvalid and indexrelid = to_regclass('"
                    + index + "')")).isEqualTo(1);
        }
    }

    @Test
    void invalidIndexLeftByAnEarlierRunIsRebuiltInsteadOfSkipped() {
        try (PgFixture f = new PgFixture(100, false)) {
            String index = f.table + "_uniq_idx";
            f.exec("insert into " + f.table + " (id, email) values (-1, ' User1@Example.COM')");
            try {
                f.exec("create unique index concurrently " + index + " on " + f.table + " (email)");
            } catch (IllegalStateException expected) {
                // the duplicate makes the build fail and leaves the index INVALID
            }
            assertThat(invalidIndexes(f, index)).isEqualTo(1);
            f.exec("delete from " + f.table + " where id = -1");

            new SchemaExecutor(f.dataSource, new PostgresDialect(), DdlSettings.ofDefaults())
                    .apply(List.of(SchemaOperation.createUniqueIndex(f.table, index, "email")));

            assertThat(invalidIndexes(f, index)).isZero();
            assertThat(f.count("select count(*) from pg_index where indisvalid and indisunique and indexrelid = "
                    + "to_regclass('" + index + "')")).isEqualTo(1);
        }
    }

    private static long invalidIndexes(PgFixture f, String index) {
        return f.count("select count(*) from pg_index where not indisvalid and indexrelid = to_regclass('" + index + "')");
    }
}
