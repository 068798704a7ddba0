package dev.flagway.spring.boot.autoconfigure.it.jdbc;

import dev.flagway.spring.boot.autoconfigure.it.DualWriteTransactionsContract;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.springframework.boot.test.context.SpringBootTest;

/** The dual-write contract for {@code JdbcClient} and Spring Data JDBC under {@code JdbcTransactionManager}. */
@SpringBootTest(classes = JdbcTestApplication.class, properties = {
        "flagway.migrations.users-email.table=sb_jdbc_users",
        "flagway.migrations.users-email.key-column=id",
        "flagway.migrations.users-email.legacy-column=email",
        "flagway.migrations.users-email.new-column=email_normalized",
        "flagway.migrations.strict-email.table=sb_jdbc_users",
        "flagway.migrations.strict-email.key-column=id",
        "flagway.migrations.strict-email.legacy-column=email",
        "flagway.migrations.strict-email.new-column=email_normalized",
        "flagway.migrations.strict-email.write-policy=strict"})
abstract class JdbcTransactionsTest extends DualWriteTransactionsContract {
    @BeforeAll
    static void createTables(TestInfo test) throws SQLException {
        createTables(JdbcTestApplication.TABLES, test);
    }

    static Stream<Style> styles() {
        return Stream.of(new Style("JdbcClient", JdbcClientUsers.class, StrictJdbcClientUsers.class),
                new Style("Spring Data JDBC", DataJdbcUsers.class, StrictDataJdbcUsers.class));
    }
}
