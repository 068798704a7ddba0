package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;

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

        assertThat(MySqlRunnerLock.lockName("users-email")).isEqualTo("flagway:users-email");
        assertThat(MySqlRunnerLock.lockName(longId)).hasSize(64).startsWith("flagway:aaaa")
                .isNotEqualTo(MySqlRunnerLock.lockName(longId + "b"));
    }

    private static long holderOf(DataSource ds, String id) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            s.setString(1, MySqlRunnerLock.lockName(id));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
