package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.jdbc.MysqlDataSource;
import dev.flagway.dialect.RunnerLock;
import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MySqlRunnerLockTest {

    @ParameterizedTest
    @EnumSource(Server.class)
    void oneRunnerAtATimeAndTheLockFreesWhenItsConnectionDies(Server server) throws Exception {
        DataSource ds = server.dataSource();
        RunnerLock lock = new MySqlRunnerLock(ds);
        String id = TestDatabase.uniqueName("runner").replace('_', '-');

        try (RunnerLock.Lease first = lock.tryAcquire(id).orElseThrow()) {
            assertThat(first.isHeld()).isTrue();
            assertThat(lock.tryAcquire(id)).isEmpty();
            long holder = holderOf(ds, id);

            try (Connection operator = ds.getConnection()) {
                Sql.exec(operator, "KILL CONNECTION " + holder);
            }

            assertThat(first.isHeld()).isFalse();
            try (RunnerLock.Lease second = lock.tryAcquire(id).orElseThrow()) {
                assertThat(second.isHeld()).isTrue();
            }
        }
        Optional<RunnerLock.Lease> again = lock.tryAcquire(id);
        assertThat(again).isPresent();
        again.get().close();
        assertThat(again.get().isHeld()).isFalse();
    }

    @Test
    void longMigrationIdsGetHashedLockNamesTheServerAccepts() {
        String longId = "a".repeat(100);

        assertThat(MySqlRunnerLock.lockName("shop", "users-email")).isEqualTo("flagway:shop:users-email");
        assertThat(MySqlRunnerLock.lockName(null, "users-email")).isEqualTo("flagway:users-email");
        assertThat(MySqlRunnerLock.lockName("shop", longId)).hasSize(64).startsWith("flagway:shop:aaaa")
                .isNotEqualTo(MySqlRunnerLock.lockName("shop", longId + "b"))
                .isNotEqualTo(MySqlRunnerLock.lockName("shop2", longId));
    }

    /**
     * User locks are server-wide: the same migration id in two databases of one server is two
     * migrations, each with its runner (two applications sharing a server, or two test runs).
     */
    @Test
    void theSameMigrationInAnotherDatabaseOfTheServerHasItsOwnRunner() throws Exception {
        DataSource ds = Server.MYSQL8.dataSource();
        String other = TestDatabase.uniqueName("flagway_other");
        Sql.exec(ds, "CREATE DATABASE `" + other + "`");
        try {
            TestDatabase.Endpoint e = TestDatabase.MYSQL8.endpoint();
            MysqlDataSource otherDatabase = new MysqlDataSource();
            otherDatabase.setURL(e.url().replaceFirst("/[A-Za-z0-9_]+(\\?|$)", "/" + other + "$1"));
            otherDatabase.setUser(e.user());
            otherDatabase.setPassword(e.password());
            String id = TestDatabase.uniqueName("runner").replace('_', '-');

            try (RunnerLock.Lease here = new MySqlRunnerLock(ds).tryAcquire(id).orElseThrow();
                 RunnerLock.Lease there = new MySqlRunnerLock(otherDatabase).tryAcquire(id).orElseThrow()) {
                assertThat(here.isHeld()).isTrue();
                assertThat(there.isHeld()).isTrue();
                assertThat(new MySqlRunnerLock(otherDatabase).tryAcquire(id)).isEmpty();
            }
        } finally {
            Sql.exec(ds, "DROP DATABASE IF EXISTS `" + other + "`");
        }
    }

    private static long holderOf(DataSource ds, String id) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            s.setString(1, MySqlRunnerLock.lockName(c.getCatalog(), id));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
