package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.mysql.cj.jdbc.MysqlDataSource;
import dev.flagway.jdbc.RepairLog;
import dev.flagway.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * Applications reach MySQL through the MariaDB driver and MariaDB through Connector/J, too: the SQL
 * Flagway renders for its own tables follows the server, not the driver (MySQL 8 rejects MariaDB's
 * {@code fetch next ? rows only}).
 */
class CrossDriverTest {
    private final String table = Sql.table("repair");
    private DataSource ds;

    @AfterEach
    void dropTable() throws Exception {
        if (ds != null) {
            Sql.drop(ds, table);
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void theRepairLogWorksThroughTheOtherServersDriver(Server server) throws Exception {
        ds = otherDriver(server);
        RepairLog log = RepairLog.named(table);
        try (Connection c = ds.getConnection()) {
            log.createIfMissing(c);
            log.record(c, "m", 1, new IllegalStateException("first"));
            log.record(c, "m", 1, new IllegalStateException("again"));
            log.record(c, "m", 2, new IllegalStateException("other"));

            assertThat(log.pending(c, "m", 1)).singleElement().satisfies(e -> {
                assertThat(e.rowKey()).isEqualTo("1");
                assertThat(e.failures()).isEqualTo(2);
                assertThat(e.error()).contains("again");
            });
            assertThat(log.remove(c, "m", "1")).isTrue();
            assertThat(log.pending(c, "m", 10)).extracting(RepairLog.Entry::rowKey).containsExactly("2");
        }
    }

    /** {@code server} through the driver of the other flavour. */
    private static DataSource otherDriver(Server server) throws SQLException {
        TestDatabase.Endpoint e = (server == Server.MARIADB ? TestDatabase.MARIADB : TestDatabase.MYSQL8).endpoint();
        if (server == Server.MARIADB) {
            MysqlDataSource mysql = new MysqlDataSource();
            mysql.setURL(e.url().replaceFirst("^jdbc:mariadb:", "jdbc:mysql:"));
            mysql.setUser(e.user());
            mysql.setPassword(e.password());
            return mysql;
        }
        MariaDbDataSource mariadb = new MariaDbDataSource(e.url().replaceFirst("^jdbc:mysql:", "jdbc:mariadb:"));
        mariadb.setUser(e.user());
        mariadb.setPassword(e.password());
        return mariadb;
    }
}
