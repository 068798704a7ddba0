package dev.flagway.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flagway.testing.BlockedTableTraffic;
import dev.flagway.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.exception.LiquibaseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Plain Liquibase changesets under Flagway's executor: linted first, statements under a lock timeout with retries. */
class LiquibasePlainChangeSetsTest {
    static final String HEADER = """
            <?xml version="1.0" encoding="UTF-8"?>
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                    http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
            """;

    @AfterEach
    void clearSettings() {
        System.clearProperty("flagway.enabled");
        System.clearProperty("flagway.lockTimeout");
        System.clearProperty("flagway.maxAttempts");
        System.clearProperty("flagway.lint");
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB", "MYSQL8"})
    void anUnsafeChangeSetIsRefusedByTheLintWithItsRuleBeforeAnythingRuns(TestDatabase db) throws Exception {
        try (LiquibaseChangesTest.Fixture f = new LiquibaseChangesTest.Fixture(db)) {
            f.write("unsafe.xml", HEADER + """
                      <changeSet id="1" author="app">
                        <addColumn tableName="%1$s"><column name="note" type="varchar(20)"/></addColumn>
                        <renameColumn tableName="%1$s" oldColumnName="email" newColumnName="mail"
                            columnDataType="varchar(200)"/>
                      </changeSet>
                    </databaseChangeLog>
                    """.formatted(f.table));
            assertThatThrownBy(() -> f.liquibase("unsafe.xml", l -> l.update(new Contexts(), new LabelExpression())))
                    .isInstanceOf(LiquibaseException.class)
                    .hasStackTraceContaining("Flagway lint refused changeset unsafe.xml::1::app before any of it ran")
                    .hasStackTraceContaining("COLUMN_RENAME");
            assertThat(f.ranChangeSets()).isEmpty();
            assertThat(f.columnExists("note")).isFalse();
            assertThat(f.columnExists("email")).isTrue();

            // a waiver in a <sql> change lets it through
            f.write("waived.xml", HEADER + """
                      <changeSet id="1" author="app">
                        <sql>-- flagway:allow COLUMN_RENAME no instance reads the column yet
                    ALTER TABLE %1$s RENAME COLUMN email TO mail</sql>
                      </changeSet>
                    </databaseChangeLog>
                    """.formatted(f.table));
            f.liquibase("waived.xml", l -> l.update(new Contexts(), new LabelExpression()));
            assertThat(f.ranChangeSets()).containsExactly("1");
            assertThat(f.columnExists("mail")).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB", "MYSQL8"})
    void behindALongTransactionAPlainChangeSetRetriesShortAttemptsInsteadOfStallingTraffic(TestDatabase db)
            throws Exception {
        Duration hold = Duration.ofSeconds(3);
        try (LiquibaseChangesTest.Fixture f = new LiquibaseChangesTest.Fixture(db)) {
            f.write("plain.xml", HEADER + """
                      <changeSet id="1" author="app">
                        <addColumn tableName="%1$s"><column name="plain_col" type="int"/></addColumn>
                      </changeSet>
                    </databaseChangeLog>
                    """.formatted(f.table));
            f.write("flagway.xml", HEADER + """
                      <changeSet id="2" author="app">
                        <addColumn tableName="%1$s"><column name="flagway_col" type="int"/></addColumn>
                      </changeSet>
                    </databaseChangeLog>
                    """.formatted(f.table));
            f.write("empty.xml", HEADER + "</databaseChangeLog>\n");
            f.liquibase("empty.xml", l -> l.update(new Contexts(), new LabelExpression())); // Liquibase's tables

            System.setProperty("flagway.enabled", "false");
            Duration plain;
            try (BlockedTableTraffic traffic = new BlockedTableTraffic(f.dataSource, f.table, hold)) {
                f.liquibase("plain.xml", l -> l.update(new Contexts(), new LabelExpression()));
                plain = traffic.maxStall();
            }
            System.clearProperty("flagway.enabled");
            System.setProperty("flagway.lockTimeout", db == TestDatabase.POSTGRES ? "300ms" : "1s");
            System.setProperty("flagway.maxAttempts", "100");
            Duration flagway;
            long started = System.nanoTime();
            try (BlockedTableTraffic traffic = new BlockedTableTraffic(f.dataSource, f.table, hold)) {
                f.liquibase("flagway.xml", l -> l.update(new Contexts(), new LabelExpression()));
                flagway = traffic.maxStall();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(f.columnExists("plain_col")).isTrue();
            assertThat(f.columnExists("flagway_col")).isTrue();
            String line = db + " (Liquibase): longest traffic stall behind a " + hold.toMillis()
                    + " ms transaction: plain changeset " + plain.toMillis() + " ms; under FlagwayJdbcExecutor "
                    + flagway.toMillis() + " ms (update took " + took.toMillis() + " ms, lock timeout "
                    + System.getProperty("flagway.lockTimeout") + ")";
            System.out.println(line);
            Path file = Path.of("target", "flagway-stall-figures.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            assertThat(plain).isGreaterThan(Duration.ofMillis(1500));
            assertThat(flagway).isLessThan(Duration.ofMillis(db == TestDatabase.POSTGRES ? 1500 : 2000));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
