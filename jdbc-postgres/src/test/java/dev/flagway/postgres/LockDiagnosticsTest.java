package dev.flagway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.flagway.dialect.LockWait;
import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class LockDiagnosticsTest {

    @Test
    void diagnosticsListTheBlockedAlterAndItsBlockerWhichCanBeTerminatedOnRequest() throws Exception {
        try (PgFixture f = new PgFixture(10, false)) {
            PostgresDialect dialect = new PostgresDialect();
            String blockedApp = "diag-blocked-" + f.table;
            Connection blocker = f.dataSource.getConnection();
            blocker.setAutoCommit(false);
            long blockerPid = pid(blocker);
            try (Statement s = blocker.createStatement()) {
                s.execute("select * from " + f.table);
            }
            CompletableFuture<Void> alter = CompletableFuture.runAsync(() -> f.exec("set application_name = '"
                    + blockedApp + "'; set lock_timeout = '20s'; alter table " + f.table + " add column extra int"));
            try (Connection c = f.dataSource.getConnection()) {
                LockWait wait = awaitWait(dialect, c, blockedApp);
                assertThat(wait.blocked().lockMode()).isEqualTo("AccessExclusiveLock");
                assertThat(wait.blocked().lockWait()).isNotNull();
                assertThat(wait.blocked().blockedBy()).contains(blockerPid);
                assertThat(wait.blockers()).anySatisfy(b -> {
                    assertThat(b.id()).isEqualTo(blockerPid);
                    assertThat(b.state()).isEqualTo("idle in transaction");
                    assertThat(b.transactionAge()).isNotNull();
                });
                assertThat(dialect.lockHolders(c, DSL.name(f.table)))
                        .anySatisfy(h -> assertThat(h.id()).isEqualTo(blockerPid));

                assertThat(dialect.terminate(c, blockerPid)).isTrue();
            }
            alter.get(20, TimeUnit.SECONDS);
            assertThat(blocker.isValid(2)).isFalse();
            blocker.close();
        }
    }

    @Test
    void softEvictionReplacesThePoolsSessions() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabase.POSTGRES.endpoint().url());
        config.setUsername(TestDatabase.POSTGRES.endpoint().user());
        config.setPassword(TestDatabase.POSTGRES.endpoint().password());
        config.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            long before;
            try (Connection c = pool.getConnection()) {
                before = pid(c);
            }
            PoolEviction.softEvict(pool);
            try (Connection c = pool.getConnection()) {
                assertThat(pid(c)).isNotEqualTo(before);
            }
        }
    }

    private static LockWait awaitWait(PostgresDialect dialect, Connection c, String app) throws Exception {
        for (int i = 0; i < 200; i++) {
            List<LockWait> waits = dialect.lockWaits(c);
            for (LockWait w : waits) {
                if (app.equals(w.blocked().applicationName())) {
                    return w;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the ALTER never showed up as waiting");
    }

    private static long pid(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
