package dev.flagway.examples.boot;

import dev.flagway.testing.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The application on MariaDB. */
class MigrationUnderTrafficOnMariaDbTest extends MigrationUnderTrafficTest {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        useDatabase(TestDatabase.MARIADB, registry);
    }
}
