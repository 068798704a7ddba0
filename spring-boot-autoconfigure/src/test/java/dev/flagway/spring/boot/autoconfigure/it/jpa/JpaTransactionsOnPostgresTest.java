package dev.flagway.spring.boot.autoconfigure.it.jpa;

import dev.flagway.spring.boot.autoconfigure.it.OnDatabase;
import dev.flagway.testing.TestDatabase;

@OnDatabase(TestDatabase.POSTGRES)
class JpaTransactionsOnPostgresTest extends JpaTransactionsTest {
}
