package dev.flagway.spring.boot.autoconfigure.it.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flagway.spring.boot.autoconfigure.it.DualWriteTransactionsContract;
import dev.flagway.spring.boot.autoconfigure.it.TestTables;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The dual-write contract for Spring Data JPA under {@code JpaTransactionManager}, and what is particular
 * to a persistence context: a modern write that fails when flushed is rolled back to its savepoint and
 * forgotten by the persistence context, while the caller's other managed entities stay managed.
 */
@SpringBootTest(classes = JpaTestApplication.class, properties = {
        "spring.jpa.hibernate.ddl-auto=none",
        "spring.jpa.open-in-view=false",
        "flagway.migrations.users-email.table=sb_jpa_users",
        "flagway.migrations.users-email.key-column=id",
        "flagway.migrations.users-email.legacy-column=email",
        "flagway.migrations.users-email.new-column=email_normalized",
        "flagway.migrations.strict-email.table=sb_jpa_users",
        "flagway.migrations.strict-email.key-column=id",
        "flagway.migrations.strict-email.legacy-column=email",
        "flagway.migrations.strict-email.new-column=email_normalized",
        "flagway.migrations.strict-email.write-policy=strict"})
abstract class JpaTransactionsTest extends DualWriteTransactionsContract {
    // Rows from the end of the table: the contract takes them from the start.
    private static final long FIRST = TestTables.ROWS;

    @Autowired
    private PersistenceContextCaller caller;
    @Autowired
    private JdbcTemplate jdbc;

    @BeforeAll
    static void createTables(TestInfo test) throws SQLException {
        createTables(JpaTestApplication.TABLES, test);
    }

    static Stream<Style> styles() {
        return Stream.of(new Style("Spring Data JPA", JpaUsers.class, StrictJpaUsers.class));
    }

    @Test
    void afterAFailedModernWriteTheCallersOtherManagedEntitiesAreStillWrittenAtCommit() {
        long id = FIRST;
        long other = FIRST - 1;

        caller.updateThenChangeAnotherManagedUser(id, TestTables.TOO_LONG, other, "Renamed@Example.com");

        assertThat(column("email", other)).isEqualTo("Renamed@Example.com");
        assertThat(column("email", id)).isEqualTo(TestTables.TOO_LONG);
        assertThat(column("email_normalized", id)).isEqualTo("user" + id + "@example.com");
    }

    @Test
    void anEntityTheFailedModernWriteChangedIsReloadedAndNotWrittenAtCommit() {
        long id = FIRST - 2;

        String managedAfterwards = caller.updateWithTheModernEntityAlreadyManaged(id, TestTables.TOO_LONG);

        assertThat(managedAfterwards).isEqualTo("user" + id + "@example.com");
        assertThat(column("email", id)).isEqualTo(TestTables.TOO_LONG);
        assertThat(column("email_normalized", id)).isEqualTo("user" + id + "@example.com");
    }

    private String column(String column, long id) {
        return jdbc.queryForObject("select " + column + " from sb_jpa_users where id = ?", String.class, id);
    }
}
